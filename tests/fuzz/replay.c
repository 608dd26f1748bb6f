/* replay.c - runs a fuzz harness without libFuzzer: every file named on the
 * command line, or every file in a directory named, goes once through
 * LLVMFuzzerTestOneInput. make check uses it to keep the seed corpus
 * (tests/fuzz/corpus/<harness>/) exercised, plain and under ASan + UBSan. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	unsigned char *b = malloc(cap);
	size_t got;
	while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(f);
	if (!b) {
		fprintf(stderr, "%s: out of memory\n", path);
		return -1;
	}
	/* an exact-size copy, so a read past the input is caught */
	unsigned char *exact = malloc(n ? n : 1);
	if (!exact) {
		free(b);
		return -1;
	}
	memcpy(exact, b, n);
	free(b);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	int runs = 0, bad = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			bad++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad += run_file(argv[i]) != 0;
			runs++;
			continue;
		}
		struct dirent **names;
		int n = scandir(argv[i], &names, NULL, NULL);
		if (n < 0) {
			perror(argv[i]);
			bad++;
			continue;
		}
		char **paths = calloc((size_t)n, sizeof *paths);
		int k = 0;
		for (int j = 0; j < n; j++) {
			if (names[j]->d_name[0] != '.' && paths) {
				size_t len = strlen(argv[i]) + strlen(names[j]->d_name) + 2;
				if ((paths[k] = malloc(len)))
					snprintf(paths[k++], len, "%s/%s", argv[i], names[j]->d_name);
			}
			free(names[j]);
		}
		free(names);
		if (paths) {
			qsort(paths, (size_t)k, sizeof *paths, cmp);
			for (int j = 0; j < k; j++) {
				bad += run_file(paths[j]) != 0;
				runs++;
				free(paths[j]);
			}
			free(paths);
		}
	}
	printf("%s: %d inputs replayed\n", argv[0], runs);
	return bad ? 1 : 0;
}
