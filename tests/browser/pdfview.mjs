// pdfview.mjs - Chromium's own PDF viewer (PDFium, the built-in PDF viewer
// extension) shows each PDF of a list, fitted in the window without its
// toolbar ("#toolbar=0&view=Fit"); a screenshot of each once the viewer
// has drawn the page (five screenshots in a row, 0.3 s apart, the same,
// and not the empty viewer's grey).
// Usage: node pdfview.mjs --list FILE --out DIR [--chromium PATH]
//   FILE: one PDF path a line; DIR/N.png for the Nth. Prints JSON:
//   { "viewer": the viewer frame's URL, "shots": [ paths ] }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { options, open, run, fail } from './lib.mjs';

const opt = options('pdfview', ['list', 'out']);
const out = { viewer: null, shots: [], pages: [], console_errors: [], csp_violations: [] };
const state = {};
const EMPTY = 20000; // bytes: the viewer's plain grey compresses far below

await run(opt, out, state, async () => {
	const pdfs = readFileSync(opt.list, 'utf8').split('\n').filter((l) => l);
	const { page, close } = await open(opt, out, { js: true, width: 1000, height: 1300 });
	state.page = page;
	state.close = close;
	for (const [i, pdf] of pdfs.entries()) {
		await page.goto(`file://${pdf}#toolbar=0&view=Fit`);
		let last = null, same = 0;
		for (let t = 0; same < 4; t++) {
			if (t > 100) fail(`${pdf}: the viewer drew no page in 30 s`);
			await page.waitForTimeout(300);
			const b = await page.screenshot();
			same = last && b.length > EMPTY && b.equals(last) ? same + 1 : 0;
			last = b;
		}
		const v = page.frames().map((f) => f.url()).find((u) => u.startsWith('chrome-extension://'));
		if (!v) fail(`${pdf}: not shown in Chromium's PDF viewer (frames: ${page.frames().map((f) => f.url()).join(' ')})`);
		out.viewer = v;
		const path = join(opt.out, `${i + 1}.png`);
		await page.screenshot({ path });
		out.shots.push(path);
	}
});
