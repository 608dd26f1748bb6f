// staff-acts.mjs - a real browser on a 390 px wide screen (headless Chromium,
// Debian's /usr/bin/chromium, driven by playwright-core), JavaScript on or
// off: the secretariat signs in in a language and, on one consultation past
// its deadline, goes through every irreversible act by clicking as a person
// would: revokes a member's reply code (link, confirmation page, button),
// closes the consultation (close button, confirmation page showing the
// tally, button naming the act), then records the plenary's decision on a
// draft (form, confirmation page showing the decision's text, button).
// Every page is measured (document.documentElement.scrollWidth) and
// screenshotted. Prints one JSON object on stdout:
//   {"steps":[{"name":"consultation","status":200,"path":"/secretariat/c/206","width":390,...}],
//    "replies_rows":N,"close_button":"...","decision_text":"...","confirm_buttons":[...],
//    "closed_section_after":false,"csp_violations":[],"console_errors":[],"viewport":390}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node staff-acts.mjs --url https://localhost:PORT --user NAME --password PW --lang ar
//      --circular 206 --draft Q.5051 --revoke CHE [--reservation "CHE: text"] [--js on|off]
//      [--shots DIR] [--server-cert server.pem] [--chromium PATH]
import { WIDTH, options, open, signIn, measure, run, fail } from './lib.mjs';

const opt = options('staff-acts.mjs', ['url', 'user', 'password', 'lang', 'circular', 'draft', 'revoke']);
const out = { steps: [], confirm_buttons: [], csp_violations: [], console_errors: [], pages: [], viewport: WIDTH };
const state = {};
let page;

// The page now: its status, path, width (scrollWidth) and a screenshot.
async function step(name, status) {
	const v = await measure(page, opt, name);
	const s = { name, status, path: v.path, width: v.width, dir: v.dir };
	const e = page.locator('p.error').first();
	if (await e.count()) s.error = (await e.textContent()).trim();
	out.steps.push(s);
	return s;
}

// Clicks loc and waits for the document it leads to; returns its status
// (the last document answer: after a 303, the page it led to).
async function click(loc) {
	let last = 0;
	const seen = (r) => {
		if (r.request().resourceType() === 'document' && r.request().frame() === page.mainFrame()) last = r.status();
	};
	page.on('response', seen);
	await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), loc.click()]);
	page.off('response', seen);
	return last;
}

async function confirmButton() {
	const b = page.locator('button#confirm');
	if (!(await b.count())) fail(`no confirmation button on ${page.url()}`);
	out.confirm_buttons.push((await b.textContent()).trim());
	return b;
}

await run(opt, out, state, async () => {
	Object.assign(state, await open(opt, out, { js: opt.js === 'on' }));
	page = state.page;
	await signIn(page, opt, { user: opt.user, password: opt.password }, opt.lang);
	let resp;

	const cpage = `${opt.url}/secretariat/c/${opt.circular}`;
	resp = await page.goto(cpage);
	await step('consultation', resp ? resp.status() : 0);
	out.replies_rows = await page.locator('table.replies tr.reply').count();
	// the stacked rows: a cell's label shows before its value
	out.stacked_label = await page.locator('table.replies td[data-label]').first()
		.evaluate((td) => getComputedStyle(td, '::before').content).catch(() => null);
	out.close_button_class = await page.locator('#close button').getAttribute('class');
	out.close_button = (await page.locator('#close button').textContent()).trim();

	// revoke a code: link, confirmation, button
	await step('codes-revoke-confirm', await click(page.locator(`#codes a.revoke[href$="member=${opt.revoke}"]`)));
	await step('codes-revoked', await click(await confirmButton()));
	out.revoked = await page.locator(`#codes tr[data-member="${opt.revoke}"]`).getAttribute('data-revoked');

	// close: the button, the confirmation with the tally, the named act
	await step('close-confirm', await click(page.locator('#close button')));
	out.frozen_drafts = await page.locator('.frozen .tally').count();
	await step('closed', await click(await confirmButton()));
	out.closed_section_after = (await page.locator('#close').count()) > 0;

	// the decision: the form, the confirmation with its text, the named act
	await step('decide-forms', await click(page.locator('#decision a.decide')));
	const df = page.locator(`form.decide[data-rec="${opt.draft}"]`);
	await df.locator('input[name="kind"][value="approved"]').check();
	if (opt.reservation) await df.locator('textarea[name="reservations"]').fill(opt.reservation);
	await step('decide-confirm', await click(df.locator('button[type="submit"]')));
	out.decision_text = (await page.locator('blockquote.decision-text').textContent()).trim();
	await step('decided', await click(await confirmButton()));
});
