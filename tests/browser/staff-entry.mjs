// staff-entry.mjs - a real browser, JavaScript off, on a 390 px wide screen:
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// signs the secretariat in, opens a consultation's page in a language, enters
// a reply received by post without the reason of its late entry (the page it
// gets back is read), then again with the reason (the receipt is read), then
// visits the pages given with --visit; with --member-code, signs an
// administration in with its reply code and visits --member-visit. Every page is measured: the width of
// its content (nothing wider than the screen) and a screenshot.
// Prints one JSON object on stdout:
//   {"no_reason":{"status":400,"error":"...","field":"late_entry_reason","reason":"input",
//    "details":"...","engine":"...","width":390},
//    "with_reason":{"status":200,"late_entry":"...","width":390},
//    "visits":[{"path":"...","status":503,"error":"...","reason":"damaged","width":390}],
//    "label":"...","pages":[...],"csp_violations":[],"console_errors":[],"viewport":390}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node staff-entry.mjs --url https://localhost:PORT --user NAME --password PW --lang fr
//      --circular 205 --member CHN --draft Q.5051 --received TIME --reason TEXT
//      [--choice CHOICE] [--visit PATH,PATH] [--member-code MEMBER:CODE --member-visit PATH,PATH] [--shots DIR] [--server-cert server.pem] [--chromium PATH]
import { WIDTH, options, open, signIn, measure, run, fail } from './lib.mjs';

const opt = options('staff-entry.mjs', ['url', 'user', 'password', 'lang', 'circular', 'member', 'draft', 'received',
	'reason']);
const out = { csp_violations: [], console_errors: [], pages: [], visits: [], viewport: WIDTH };
const state = {};

// The error paragraph of the page, its reason and field, the <details>.
async function errorOf(page, o) {
	const p = page.locator('p.error').first();
	if (await p.count()) {
		o.error = (await p.textContent()).trim();
		o.reason = await p.getAttribute('data-reason');
		o.field = await p.getAttribute('data-field');
	}
	const d = page.locator('details.engine').first();
	if (await d.count()) {
		o.details = (await d.locator('summary').textContent()).trim();
		o.details_open = await d.evaluate((el) => el.open).catch(() => null);
		o.engine = (await d.locator('code.engine-line').textContent()).trim();
	}
}

// The widest thing on the page, in CSS pixels (the page scrolls sideways
// when it is wider than the screen), and a screenshot.
async function widest(page, o, name) {
	const v = await measure(page, opt, name);
	o.width = Math.max(v.width, v.body_width);
}

async function enter(page, withReason) {
	const form = page.locator(`form[action="/secretariat/c/${opt.circular}/reply"]`);
	await form.locator('#member').selectOption(opt.member);
	await form.locator('#draft').selectOption(opt.draft);
	await form.locator('#choice').selectOption(opt.choice || 'authorize');
	await form.locator('#channel').selectOption('post');
	await form.locator('#received').fill(opt.received);
	if (withReason) await form.locator('#late_entry_reason').fill(opt.reason);
	const [answer] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith(`/secretariat/c/${opt.circular}/reply`) &&
			r.request().method() === 'POST'),
		form.locator('button[type="submit"]').click(),
	]);
	await page.waitForLoadState('load');
	return answer.status();
}

await run(opt, out, state, async () => {
	// a page answered 400 or 503 on purpose: its status is in out.pages
	Object.assign(state, await open(opt, out, {
		ignore: /^Failed to load resource: the server responded with a status of (400|503)\b/ }));
	const page = state.page;
	await signIn(page, opt, { user: opt.user, password: opt.password }, opt.lang);
	let resp;

	const cpage = `${opt.url}/secretariat/c/${opt.circular}`;
	resp = await page.goto(cpage);
	if (!resp || resp.status() !== 200) fail(`GET ${cpage}: ${resp && resp.status()}`);
	out.label = (await page.locator('label[for="late_entry_reason"]').textContent()).trim();
	await widest(page, out, 'consultation');

	out.no_reason = { status: await enter(page, false) };
	await errorOf(page, out.no_reason);
	await widest(page, out.no_reason, 'no-reason');

	await page.goto(cpage);
	out.with_reason = { status: await enter(page, true) };
	const note = page.locator('p.late-entry');
	if (await note.count()) out.with_reason.late_entry = (await note.textContent()).trim();
	await widest(page, out.with_reason, 'with-reason');

	for (const path of (opt.visit || '').split(',').filter(Boolean)) {
		const v = { path };
		const r = await page.goto(`${opt.url}${path}`);
		v.status = r ? r.status() : 0;
		await errorOf(page, v);
		await widest(page, v, path.replace(/[^a-z0-9]+/gi, '-'));
		out.visits.push(v);
	}
	// then an administration, signed in with its reply code
	if (opt['member-code']) {
		const [m, code] = opt['member-code'].split(':');
		await state.context.clearCookies(); // the secretariat's session ends
		await signIn(page, opt, { member: m, code }, opt.lang);
		for (const path of (opt['member-visit'] || '').split(',').filter(Boolean)) {
			const v = { path };
			const r = await page.goto(`${opt.url}${path}`);
			v.status = r ? r.status() : 0;
			await errorOf(page, v);
			await widest(page, v, `member-${path.replace(/[^a-z0-9]+/gi, '-')}`);
			out.visits.push(v);
		}
	}
});
