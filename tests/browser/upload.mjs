// upload.mjs - an administration replies with its returned Annex 2 form
// in a real browser: headless Chromium (playwright-core, Debian's chromium)
// signs in with a reply code in --lang, opens the consultation's page,
// uploads --bad (refused: the sentence next to the upload field, which has
// the focus), then --pdf; the reply form filled in from it is reloaded, the
// reply sent with a double click (one reply: the single-use token), the
// receipt reloaded, Back and Forward. Every page is measured
// (document.documentElement.scrollWidth) at --width px (default 390).
// Prints one JSON object on stdout:
//   {"visits":[{"name","path","status","width","dir"}],"refusal":{"status","text","focus"},
//    "prefill":{"choices":"choice-1=authorize choice-2=...","signatory","title","kept","kept_id"},"posts":[303,...],
//    "sent":"/member/sent/1,2","reload":200,"back":"/member/c/205/from-pdf","back_method":"GET",
//    "back_status":404,"forward":"/member/sent/1,2","console_errors":[],"csp_violations":[]}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node upload.mjs --url URL --lang L --member M --code C --circular ID --pdf FILE --bad FILE
//      [--js on|off] [--width N] [--shots DIR] [--server-cert PEM] [--chromium PATH]
import { options, open, signIn, measure, run, fail } from './lib.mjs';

const opt = options('upload.mjs', ['url', 'lang', 'member', 'code', 'circular', 'pdf', 'bad']);
const js = (opt.js || 'off') === 'on';
const out = { js, visits: [], posts: [], console_errors: [], csp_violations: [], pages: [] };
const state = {};
const path = (u) => new URL(u).pathname;

// The page measured (lib.mjs measure) into out.visits, under name.
async function visit(page, name, status) {
	const v = await measure(page, opt, `${opt.lang}-${name}`);
	out.visits.push(Object.assign({ name, path: v.path, status }, v));
}

await run(opt, out, state, async () => {
	Object.assign(state, await open(opt, out, { js, width: Number(opt.width || 390) }));
	const page = state.page;
	let last = 0;
	page.on('response', (r) => {
		if (r.request().resourceType() !== 'document') return;
		last = r.status();
		if (r.request().method() === 'POST' && path(r.url()).endsWith('/reply')) out.posts.push(r.status());
	});
	await signIn(page, opt, { member: opt.member, code: opt.code }, opt.lang);
	let resp = await page.goto(`${opt.url}/member/c/${opt.circular}`);
	if (!resp || resp.status() !== 200) fail(`GET the consultation's page: ${resp && resp.status()}`);
	await visit(page, 'form', resp.status());

	// a file that is no returned form: refused next to the field
	await page.setInputFiles('#pdf', opt.bad);
	await Promise.all([page.waitForURL('**/from-pdf'), page.locator('section.upload button[type="submit"]').click()]);
	await page.waitForLoadState('load');
	out.refusal = await page.evaluate(() => ({
		text: (document.querySelector('#err-pdf') || {}).textContent || null,
		focus: document.activeElement ? document.activeElement.id : null,
	}));
	out.refusal.status = last;
	await visit(page, 'refused', last);

	// the form: 303 to the reply form filled in
	await page.setInputFiles('#pdf', opt.pdf);
	await Promise.all([page.waitForURL('**/from-pdf'), page.locator('section.upload button[type="submit"]').click()]);
	await page.waitForLoadState('load');
	await visit(page, 'prefill', last);
	resp = await page.reload();
	out.prefill_reload = resp ? resp.status() : 0;
	out.prefill = await page.evaluate(() => {
		const choices = [...document.querySelectorAll('input[type="radio"]:checked')]
			.map((i) => `${i.name}=${i.value}`).join(' ');
		const v = (s) => { const e = document.querySelector(s); return e ? (e.value ?? e.textContent) : null; };
		return { choices, signatory: v('#signatory'), title: v('#title'), kept: v('.kept-name'),
			 kept_id: v('input[name="kept"]') };
	});

	// the confirmation, double-clicked: one reply per draft
	await Promise.all([page.waitForURL('**/member/sent/**'),
		page.locator('form[action$="/reply"] button[type="submit"]').dblclick()]);
	await page.waitForLoadState('load');
	out.sent = path(page.url());
	await visit(page, 'sent', last);
	resp = await page.reload();
	out.reload = resp ? resp.status() : 0;
	resp = await page.goBack();
	out.back = path(page.url());
	out.back_method = resp ? resp.request().method() : 'cache';
	out.back_status = resp ? resp.status() : 0;
	resp = await page.goForward();
	out.forward = path(page.url());
});
