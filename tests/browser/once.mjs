// once.mjs - exactly-once submission in a real browser: headless Chromium
// (driven by playwright-core, never downloading a browser) signs in with a
// reply code, opens the reply form, ticks choice-1, then double-clicks "Send";
// reloads the receipt page; goes Back (to the form) and Forward; with
// JavaScript on and off (one browser context each, signed in separately).
// Then, at 390 px, opens the receipt page in en, ar and zh and measures it.
// Prints one JSON object on stdout:
//   {"js":{"posts":[303,...],"url":"/member/sent/7","reload":200,"back":"/member/c/205",
//          "back_method":"GET","forward":"/member/sent/7","reply_ids":["7"]},
//    "nojs":{...},"widths":{"en":390,"ar":390,"zh":390},"console_errors":[]}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node once.mjs --url https://localhost:PORT --member CHN --code CODE --circular 205
//               [--code2 CODE] [--server-cert server.pem] [--shots DIR] [--chromium PATH]
// --code2: the code the JavaScript-off run signs in with (default: --code).
import { options, open, signIn, width, run, fail } from './lib.mjs';
import { join } from 'node:path';

const opt = options('once.mjs', ['url', 'member', 'code', 'circular']);
const out = { console_errors: [], csp_violations: [], pages: [] };
const path = (u) => new URL(u).pathname;
const state = {};

// one run: sign in, open the form, double-click Send, reload, Back, Forward
async function run1(js, code, tag) {
	Object.assign(state, await open(opt, out, { js, width: 1000, height: 900 }));
	const page = state.page;
	const o = { posts: [] };
	let sent = 0;
	const isReplyPost = (q) => q.resourceType() === 'document' && q.method() === 'POST' &&
		path(q.url()).endsWith('/reply');
	page.on('request', (q) => { if (isReplyPost(q)) sent++; });
	page.on('response', (r) => {
		if (isReplyPost(r.request())) o.posts.push(r.status());
	});
	await signIn(page, opt, { member: opt.member, code });
	let resp = await page.goto(`${opt.url}/member/c/${opt.circular}`);
	if (!resp || resp.status() !== 200) fail(`GET form: ${resp && resp.status()}`);
	await page.locator('input[name="choice-1"][value="authorize"]').check();
	// the double click: two submissions of the same form, as fast as the browser sends them
	// (the second can abort the navigation the first started: net::ERR_ABORTED, not a
	// failure; where the browser lands is waited for below)
	await Promise.all([page.waitForURL('**/member/sent/**').catch((err) => {
		if (!/ERR_ABORTED|frame was detached/.test(String(err && err.message))) throw err;
	}), page.locator('form[action$="/reply"] button[type="submit"]').dblclick()]);
	// the second sending may be answered after the first page has loaded:
	// read the page once every POST sent has its answer and the last
	// navigation it started has landed (a failed sending has no response:
	// it is given up after 10 s)
	for (let i = 0; i < 100 && o.posts.length < sent; i++) await page.waitForTimeout(100);
	await page.waitForURL('**/member/sent/**');
	await page.waitForLoadState('load');
	o.url = path(page.url());
	o.reply_ids = (await page.locator('section.receipt .reply-id').allTextContents()).map((s) => s.trim());
	if (opt.shots) await page.screenshot({ path: join(opt.shots, `${tag}-receipt.png`), fullPage: true });
	// reload: a GET of the receipt page
	resp = await page.reload();
	o.reload = resp ? resp.status() : 0;
	o.reload_method = resp ? resp.request().method() : '';
	// Back: the form again, by GET (no "Confirm Form Resubmission"); Forward: the receipt
	resp = await page.goBack();
	o.back = path(page.url());
	o.back_method = resp ? resp.request().method() : 'cache';
	resp = await page.goForward();
	o.forward = path(page.url());
	o.forward_method = resp ? resp.request().method() : 'cache';
	await state.close();
	state.close = null;
	return o;
}

// the receipt page at 390 px in lang: its width
async function width390(lang, code) {
	Object.assign(state, await open(opt, out, { js: true }));
	const page = state.page;
	await signIn(page, opt, { member: opt.member, code });
	const resp = await page.goto(`${opt.url}${out.js.url}?lang=${lang}`);
	if (!resp || resp.status() !== 200) fail(`GET ${out.js.url}?lang=${lang}: ${resp && resp.status()}`);
	const w = await width(page);
	if (opt.shots) await page.screenshot({ path: join(opt.shots, `receipt-390-${lang}.png`), fullPage: true });
	await state.close();
	state.close = null;
	return w;
}

await run(opt, out, state, async () => {
	out.js = await run1(true, opt.code, 'js');
	out.nojs = await run1(false, opt.code2 || opt.code, 'nojs');
	out.widths = {};
	for (const l of ['en', 'ar', 'zh']) out.widths[l] = await width390(l, opt.code);
	// the console's errors in one list, as before
	out.console_errors.push(...out.csp_violations);
	delete out.csp_violations;
	delete out.pages;
});
