// inbox.mjs - the secretariat's mail inbox in a real browser: headless
// Chromium (playwright-core, Debian's chromium) signs in as --user in --lang,
// opens /secretariat/inbox and entry --accept, goes to its confirmation and
// double-clicks the button (one inbox-accept: the single-use token), reloads
// the entry and goes Back; then opens entry --reject, types --reason, goes to
// the confirmation and double-clicks it. Every page is measured
// (document.documentElement.scrollWidth, stacked rows) at --width px
// (default 390). Prints one JSON object on stdout:
//   {"visits":[{"name","path","status","width","rows","stacked"}],"accepted":"/secretariat/inbox/1",
//    "accept_posts":[303,303],"reload":200,"back":"...","back_method":"GET","rejected":"/secretariat/inbox/2",
//    "reject_posts":[303,303],"quoted":"REASON","console_errors":[],"csp_violations":[]}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node inbox.mjs --url URL --lang L --user NAME --password PW --accept N --reject N --reason TEXT
//      [--js on|off] [--width N] [--shots DIR] [--server-cert PEM] [--chromium PATH]
import { options, open, signIn, measure, run, fail } from './lib.mjs';

const opt = options('inbox.mjs', ['url', 'lang', 'user', 'password', 'accept', 'reject', 'reason']);
const js = (opt.js || 'off') === 'on';
const out = { js, visits: [], accept_posts: [], reject_posts: [], console_errors: [], csp_violations: [], pages: [] };
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
		if (r.request().method() !== 'POST') return;
		const p = path(r.url());
		if (p.endsWith('/accept')) out.accept_posts.push(r.status());
		if (p.endsWith('/reject')) out.reject_posts.push(r.status());
	});
	await signIn(page, opt, { user: opt.user, password: opt.password }, opt.lang);
	let resp = await page.goto(`${opt.url}/secretariat/inbox`);
	if (!resp || resp.status() !== 200) fail(`GET /secretariat/inbox: ${resp && resp.status()}`);
	await visit(page, 'inbox', resp.status());

	// accept: the entry, its confirmation, the button double-clicked
	await Promise.all([page.waitForURL(`**/secretariat/inbox/${opt.accept}`),
		page.locator(`a[href="/secretariat/inbox/${opt.accept}"]`).click()]);
	await visit(page, 'entry', last);
	await Promise.all([page.waitForURL(/\/accept$/), page.locator('#accept').click()]);
	await visit(page, 'accept-confirm', last);
	await Promise.all([page.waitForURL(new RegExp(`/secretariat/inbox/${opt.accept}$`)),
		page.locator('#confirm').dblclick()]);
	await page.waitForLoadState('load');
	out.accepted = path(page.url());
	await visit(page, 'accepted', last);
	resp = await page.reload();
	out.reload = resp ? resp.status() : 0;
	resp = await page.goBack();
	out.back = path(page.url());
	out.back_method = resp ? resp.request().method() : 'cache';
	out.back_status = resp ? resp.status() : 0;

	// reject: the reason typed, the confirmation quoting it, double-clicked
	resp = await page.goto(`${opt.url}/secretariat/inbox/${opt.reject}`);
	await page.locator('#reason').fill(opt.reason);
	await Promise.all([page.waitForURL('**/reject?**'), page.locator('#reject').click()]);
	out.quoted = await page.locator('#reason-quoted').textContent();
	await visit(page, 'reject-confirm', last);
	await Promise.all([page.waitForURL(new RegExp(`/secretariat/inbox/${opt.reject}$`)),
		page.locator('#confirm').dblclick()]);
	await page.waitForLoadState('load');
	out.rejected = path(page.url());
	await visit(page, 'rejected', last);
});
