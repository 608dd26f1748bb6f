#!/usr/bin/perl
# readme-blocks.pl - the README's code blocks, for tests/e2e/42-readme.t.
#
#   perl readme-blocks.pl extract README NOTRUN.tsv OUTDIR
#   perl readme-blocks.pl match LANG EXPECTED ACTUAL
#
# The convention (README.md, "README commands" under "Layout"):
#   ```sh                    commands, run in order, all blocks in one shell
#   ```LANG output of: CMD   what the latest run of CMD before the block printed
#                            (`...` stands for any text on a line; in a json
#                            block a line starting with a space continues the
#                            one before: the README wraps long lines)
#   ```text, ```json, ...    illustrations, not run and not compared
# A bare ``` or a shell-like language (bash, shell, console) is an error, and so
# is an illustration whose lines look like commands: every command block says
# what it is. In a sh block a command is one line, or several joined by a final
# `\`; comment and blank lines are skipped, except `# either:`, which starts a
# set of alternatives, and `# or:`, which starts the next one (to the end of the
# block). A trailing comment with `(exit N)` says the command exits N (else 0).
#
# extract writes into OUTDIR:
#   commands.tsv  id line set alt expect notrun key   (key: the command on one
#                 line, continuations joined, trailing comment dropped; notrun:
#                 0, or 1 when NOTRUN.tsv lists the key, `key<TAB>why`)
#   outputs.tsv   line lang key file                  (file: the expected text)
#   errors.txt    one line per block that breaks the convention (or a command
#                 to run that names an absolute path: it would write outside)
#   run.sh        the commands to run, each with its stdout, stderr and exit
#                 status recorded under $__rt_R (N.out, N.err, rc: "N STATUS")
# match exits 0 when ACTUAL (a command's stdout) is what EXPECTED shows.
use strict;
use warnings;

sub slurp {
	my ($f) = @_;
	open my $fh, '<:raw', $f or die "$f: $!\n";
	local $/;
	my $s = <$fh>;
	close $fh;
	return $s;
}

sub spew {
	my ($f, $s) = @_;
	open my $fh, '>:raw', $f or die "$f: $!\n";
	print $fh $s;
	close $fh or die "$f: $!\n";
}

sub key_of { # the command on one line, without its trailing comment
	my ($text) = @_;
	my $k = $text;
	$k =~ s/\s*\\\n\s*/ /g;
	$k =~ s/\s+#\s.*$//;    # a trailing comment (" # ..."), never inside our quotes
	$k =~ s/\s+$//;
	$k =~ s/^\s+//;
	return $k;
}

sub extract {
	my ($readme, $notrun_file, $out) = @_;
	my %notrun;
	for (split /\n/, slurp($notrun_file)) {
		next if /^\s*(#|$)/;
		my ($k, $why) = split /\t/, $_, 2;
		$notrun{$k} = $why;
	}
	my @lines = split /\n/, slurp($readme), -1;
	my (@cmds, @outs, @errs);
	my $i = 0;
	my $set = 0;
	while ($i < @lines) {
		# a fence as CommonMark has it: 3 or more backticks, an info string
		# without backticks; closed by as many backticks or more
		if ($lines[$i] !~ /^ {0,3}(`{3,})([^`]*)$/) {
			$i++;
			next;
		}
		my ($fence, $info) = (length $1, $2);
		$info =~ s/^\s+|\s+$//g;
		my $start = $i + 1;    # README line of the fence
		my @body;
		$i++;
		while ($i < @lines && $lines[$i] !~ /^ {0,3}`{$fence,}\s*$/) {
			push @body, [ $i + 1, $lines[$i] ];
			$i++;
		}
		push @errs, "README.md:$start: the block is never closed" if $i >= @lines;
		$i++;
		if ($info eq '') {
			push @errs, "README.md:$start: a bare ``` block: say what it is (sh, text, json, ...)";
		} elsif ($info =~ /^(bash|shell|console|zsh|sh-session|shell-session|shellsession)\b/) {
			push @errs, "README.md:$start: ```$1: commands are marked ```sh (see \"README commands\")";
		} elsif ($info eq 'sh') {
			my ($alt, $in_set) = (0, 0);
			my $b = 0;
			while ($b < @body) {
				my ($ln, $text) = @{ $body[$b] };
				if ($text =~ /^\s*#\s*either:/) {
					$set++;
					($in_set, $alt) = (1, 1);
					$b++;
					next;
				}
				if ($text =~ /^\s*#\s*or:/) {
					if ($in_set) {
						$alt++;
					} else {
						push @errs, "README.md:$ln: `# or:` without `# either:` before it in its block";
					}
					$b++;
					next;
				}
				if ($text =~ /^\s*(#|$)/) {
					$b++;
					next;
				}
				my $cmd = $text;
				while ($cmd =~ /\\$/ && $b + 1 < @body) {
					$b++;
					$cmd .= "\n" . $body[$b][1];
				}
				$b++;
				my $last = (split /\n/, $cmd)[-1];
				my $expect = $last =~ /\s#\s.*\(exit (\d+)\)/ ? $1 : 0;
				my $key = key_of($cmd);
				push @errs, "README.md:$ln: an absolute path: the README's commands stay in the working directory"
				    if $key =~ m{(?:^|[\s="'])~?/} && !exists $notrun{$key};
				push @cmds, {
					id => scalar(@cmds) + 1, line => $ln, set => $in_set ? $set : 0,
					alt => $in_set ? $alt : 0, expect => $expect, text => $cmd, key => $key,
					notrun => exists $notrun{$key} ? 1 : 0,
				};
			}
		} elsif ($info =~ /^(\S+)\s+output of:\s*(.+)$/) {
			my ($lang, $key) = ($1, $2);
			my $f = "$out/expect-$start";
			spew($f, join('', map { "$_->[1]\n" } @body));
			push @outs, [ $start, $lang, $key, $f ];
		} else {
			for (@body) {
				if ($_->[1] =~ /^\s*(\$\s+)?(ballot|make|export|cd|mkdir|sudo|apt-get)\s/) {
					push @errs, "README.md:$_->[0]: a command in a ```$info block: mark the block ```sh";
					last;
				}
			}
		}
	}

	my $tsv = '';
	for my $c (@cmds) {
		$tsv .= join("\t", @$c{qw(id line set alt expect notrun key)}) . "\n";
	}
	spew("$out/commands.tsv", $tsv);
	spew("$out/outputs.tsv", join('', map { join("\t", @$_) . "\n" } @outs));
	spew("$out/errors.txt", join('', map { "$_\n" } @errs));

	# The runner: main-line commands in this shell; in a set of alternatives the
	# first runs here (the story goes on from it), each other one in a subshell
	# on a copy of the working directory as it stood before the set.
	my $sh = "# generated by tests/e2e/readme-blocks.pl from the README; run by 42-readme.t\n";
	my $one = sub {
		my ($c) = @_;
		return "# README.md:$c->{line}\n{ $c->{text}\n} >\"\$__rt_R/$c->{id}.out\" 2>\"\$__rt_R/$c->{id}.err\" </dev/null\n"
		    . "printf '%s %s\\n' $c->{id} \$? >>\"\$__rt_R/rc\"\n";
	};
	my $k = 0;
	while ($k < @cmds) {
		my $c = $cmds[$k];
		if (!$c->{set}) {
			$sh .= $one->($c) unless $c->{notrun};
			$k++;
			next;
		}
		my @set;
		push @set, $cmds[$k++] while $k < @cmds && $cmds[$k]{set} == $c->{set};
		my $n = $set[-1]{alt};
		$sh .= "# alternatives (README.md:$set[0]{line}): copies for alternatives 2..$n\n__rt_base=\$PWD\n";
		$sh .= "rm -rf \"\$__rt_base.or-$_\" && cp -a \"\$__rt_base\" \"\$__rt_base.or-$_\"\n" for 2 .. $n;
		for my $a (1 .. $n) {
			my @these = grep { $_->{alt} == $a && !$_->{notrun} } @set;
			if ($a == 1) {
				$sh .= $one->($_) for @these;
			} else {
				$sh .= "(\ncd \"\$__rt_base.or-$a\" || exit 1\n";
				$sh .= $one->($_) for @these;
				$sh .= ")\n";
			}
		}
	}
	$sh .= "command -v ballot >\"\$__rt_R/which\"\npwd >\"\$__rt_R/pwd\"\n";
	spew("$out/run.sh", $sh);
}

sub wild_re { # a line of expected text as a regex: `...` is any text
	my ($l) = @_;
	return join('.*', map { quotemeta } split /\.\.\./, $l, -1);
}

sub match {
	my ($lang, $expf, $actf) = @_;
	my $exp = slurp($expf);
	my $act = slurp($actf);
	$exp =~ s/\n\z//;
	$act =~ s/\n\z//;
	$exp =~ s/\n //g if $lang eq 'json';
	my @e = split /\n/, $exp, -1;
	my @a = split /\n/, $act, -1;
	if (@e != @a) {
		print "expected " . scalar(@e) . " lines, got " . scalar(@a) . "\n";
		return 1;
	}
	for my $n (0 .. $#e) {
		my $re = wild_re($e[$n]);
		next if $a[$n] =~ /\A$re\z/s;
		print "line " . ($n + 1) . ":\n  expected: $e[$n]\n       got: $a[$n]\n";
		return 1;
	}
	return 0;
}

my $cmd = shift // '';
if ($cmd eq 'extract' && @ARGV == 3) {
	extract(@ARGV);
	exit 0;
}
if ($cmd eq 'match' && @ARGV == 3) {
	exit match(@ARGV);
}
die "usage: readme-blocks.pl extract README NOTRUN OUTDIR | match LANG EXPECTED ACTUAL\n";
