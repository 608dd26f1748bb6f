// reply.mjs - a real browser replies on the portal: headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core, which never downloads a
// browser) signs in with a reply code on the sign-in page, ticks "authorize
// with comments" for the first draft, attaches a comments file, fills the
// signatory, sends, and reads the receipt. Prints one JSON object on stdout:
//   {"reply_id":"7","sha256":"...","received":"...Z","choice":"...","draft":"...",
//    "files":["name (n bytes) sha"],"csp_violations":[],"pages":[...],"stylesheet":200}
// Exit status 0 when the receipt was read, 1 otherwise (the reason on stderr).
//
// node reply.mjs --url https://localhost:PORT --member CHN --code CODE --circular 205
//                --file comments.pdf --signatory NAME [--title TEXT]
//                [--server-cert server.pem] [--screenshot receipt.png] [--chromium PATH]
// --server-cert: trust exactly that certificate's key (Chromium's
// --ignore-certificate-errors-spki-list); without it every certificate error
// is ignored.
import { options, open, signIn, run, fail } from './lib.mjs';

const opt = options('reply.mjs', ['url', 'member', 'code', 'circular', 'file', 'signatory']);
const out = { csp_violations: [], pages: [], console_errors: [] };
const state = {};

await run(opt, out, state, async () => {
	// a persistent context on a new, empty user-data dir (the SPKI flag needs one)
	Object.assign(state, await open(opt, out, { js: true, width: 1000, height: 900 }));
	const page = state.page;
	// the sign-in page: the administrations' form
	await signIn(page, opt, { member: opt.member, code: opt.code });

	// the home page links the consultation's reply form
	await Promise.all([page.waitForURL(`**/member/c/${opt.circular}`),
		page.locator(`a[href="/member/c/${opt.circular}"]`).first().click()]);
	await page.locator('input[name="choice-1"][value="authorize-with-comments"]').check();
	await page.locator('#file-1').setInputFiles(opt.file);
	await page.locator('#signatory').fill(opt.signatory);
	if (opt.title) await page.locator('#title').fill(opt.title);
	const [answer] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith(`/member/c/${opt.circular}/reply`) && r.request().method() === 'POST'),
		page.locator('form[action$="/reply"] button[type="submit"]').click(),
	]);
	await page.waitForLoadState('load');
	out.status = answer.status();
	// Post/Redirect/Get: 303 to the receipt page
	if (out.status !== 303) fail(`POST reply: ${out.status}: ${(await page.locator('p.error').allTextContents()).join(' ')}`);

	// the receipt
	const rc = page.locator('section.receipt').first();
	out.reply_id = (await rc.locator('.reply-id').textContent()).trim();
	out.sha256 = (await rc.locator('code.sha256').textContent()).trim();
	out.received = await rc.locator('time.received').getAttribute('datetime');
	out.choice = (await rc.locator('.choice').textContent()).trim();
	out.draft = (await rc.locator('.draft').textContent()).trim();
	out.files = (await rc.locator('li').allTextContents()).map((s) => s.trim());
	out.heading = (await page.locator('h1').textContent()).trim();
	if (opt.screenshot) await page.screenshot({ path: opt.screenshot, fullPage: true });
});
