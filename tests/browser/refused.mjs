// refused.mjs - a refused reply in a real browser (headless Chromium through
// lib.mjs): an administration signs in with its reply code, chooses
// "authorize with comments" on the first draft without attaching the
// comments, "not authorize" with a file on the second, types a signatory and
// a title, and sends. The portal answers the same form again: this records
// what the page then holds (status, the choices and texts kept, the summary
// on top, the sentence next to the file field, aria-invalid, the focus, the
// "choose files again" sentence, the width), takes a screenshot, then
// attaches the comments and sends again (the new single-use token: 303 to
// the receipt). With --exe, before that, it attaches that file (a type the
// server refuses: 415) and records the form shown again. One run per --runs
// entry LANG:JS:WIDTH (e.g. en:on:1280).
// Prints one JSON object on stdout: {"runs":[{...}],"console_errors":[],...}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node refused.mjs --url https://localhost:PORT --member CHN --code CODE --circular 205
//      --file comments.pdf --runs en:on:1280,ar:off:390 [--exe tool.exe] [--shots DIR] [--server-cert server.pem]
//      [--chromium PATH]
import { options, open, signIn, width, shot, run, fail } from './lib.mjs';

const opt = options('refused.mjs', ['url', 'member', 'code', 'circular', 'file', 'runs']);
const out = { runs: [], csp_violations: [], console_errors: [], pages: [] };
const state = {};
const SIGNATORY = 'Li Wei — 李伟';
const TITLE = 'Director, MIIT';

// What the refused form holds now.
// autofocus is applied once the page has settled: wait for it (30 s at most;
// a loaded machine running the ASan build is slow; it ends once focused)
async function settled(page) {
	for (let i = 0; i < 300 && !(await page.evaluate(() => document.activeElement && document.activeElement.id)); i++)
		await page.waitForTimeout(100);
}

async function refusedState(page) {
	return page.evaluate(() => {
		const q = (s) => document.querySelector(s);
		const checked = (n) => (q(`input[name="choice-${n}"]:checked`) || {}).value;
		const sum = q('#error-summary');
		const err = sum && sum.querySelector('p.error');
		const f1 = q('#file-1');
		const note = q('#err-file-1');
		const a = document.activeElement;
		return {
			checked1: checked(1), checked2: checked(2),
			signatory: q('#signatory').value, title: q('#title').value,
			summary_title: sum ? sum.querySelector('h2').textContent.trim() : null,
			summary: err ? err.textContent.trim() : null,
			reason: err ? err.getAttribute('data-reason') : null,
			field: err ? err.getAttribute('data-field') : null,
			to_field: sum && sum.querySelector('a.to-field') ? sum.querySelector('a.to-field').getAttribute('href') : null,
			files_again: sum && sum.querySelector('.files-again') ? sum.querySelector('.files-again').textContent.trim() : null,
			file1_invalid: f1.getAttribute('aria-invalid'),
			file1_describedby: f1.getAttribute('aria-describedby'),
			note: note ? note.textContent.trim() : null,
			// the note sits next to its field: in the same fieldset, just before it
			note_next: !!note && note.closest('fieldset') === f1.closest('fieldset') &&
				!!(note.compareDocumentPosition(f1) & Node.DOCUMENT_POSITION_FOLLOWING),
			focus: a ? a.id : null,
			once: (q('input[name="once"]') || {}).value || null,
			dir: document.documentElement.dir,
		};
	});
}

async function sendForm(page) {
	const [answer] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith(`/member/c/${opt.circular}/reply`) && r.request().method() === 'POST'),
		page.locator('form[action$="/reply"] button[type="submit"]').click(),
	]);
	await page.waitForLoadState('load');
	return answer.status();
}

async function oneRun(lang, js, w) {
	Object.assign(state, await open(opt, out, { js: js === 'on', width: Number(w), height: 900,
		ignore: /^Failed to load resource: the server responded with a status of (400|415)\b/ }));
	const page = state.page;
	const o = { lang, js, viewport: Number(w) };
	await signIn(page, opt, { member: opt.member, code: opt.code }, lang);
	const resp = await page.goto(`${opt.url}/member/c/${opt.circular}`);
	if (!resp || resp.status() !== 200) fail(`GET the form: ${resp && resp.status()}`);
	o.once_before = await page.locator('input[name="once"]').getAttribute('value');
	await page.locator('input[name="choice-1"][value="authorize-with-comments"]').check();
	await page.locator('input[name="choice-2"][value="not-authorize"]').check();
	await page.locator('#file-2').setInputFiles(opt.file);
	await page.locator('#signatory').fill(SIGNATORY);
	await page.locator('#title').fill(TITLE);
	o.status = await sendForm(page);
	o.path = new URL(page.url()).pathname;
	await settled(page);
	Object.assign(o, await refusedState(page));
	o.width = await width(page);
	await shot(page, opt, `refused-${lang}-js${js}-${w}`);
	// then a file of a type not accepted (the server's own check): the same form again
	if (opt.exe) {
		await page.locator('#file-1').setInputFiles(opt.exe);
		o.exe_status = await sendForm(page);
		await settled(page);
		o.exe = await refusedState(page);
	}
	// mended: the comments attached, sent again with the new token
	await page.locator('#file-1').setInputFiles(opt.file);
	await page.locator('#file-2').setInputFiles(opt.file);
	o.again = await sendForm(page);
	o.again_path = new URL(page.url()).pathname;
	await shot(page, opt, `receipt-${lang}-js${js}-${w}`);
	await state.close();
	state.close = null;
	return o;
}

await run(opt, out, state, async () => {
	for (const r of opt.runs.split(',')) {
		const [lang, js, w] = r.split(':');
		out.runs.push(await oneRun(lang, js, w));
	}
	out.signatory = SIGNATORY;
	out.title = TITLE;
});
