// staff-import.mjs - the secretariat's reply import in a real browser
// headless Chromium at 390 px (lib.mjs) signs in as --user NAME
// --password PW in --lang, opens /secretariat/c/CIRC/import, chooses the
// TSV (--tsv FILE) and the files its lines name (--files F1,F2), sends the
// check, measures the preview (the page no wider than the screen), then
// double-clicks the confirmation (a double click sends it twice: the
// single-use token lets one through) and follows the 303. Screenshots in
// --shots. Prints {"visits":[{"path","status","width","title"}],"after":URL,
// "console_errors":[],"csp_violations":[]}; exit 1 when a step failed.
//
// node staff-import.mjs --url URL --lang L --user NAME --password PW --circular C --tsv FILE
//      [--files F,F] [--js on|off] [--shots DIR] [--server-cert PEM] [--chromium PATH]
import { options, open, signIn, measure, run } from './lib.mjs';

const opt = options('staff-import.mjs', ['url', 'lang', 'user', 'password', 'circular', 'tsv']);
const js = (opt.js || 'off') === 'on';
const out = { visits: [], console_errors: [], csp_violations: [], pages: [] };
const state = {};

// The page measured (lib.mjs measure) into out.visits, under name.
async function visit(page, name, status) {
	const v = await measure(page, opt, name);
	out.visits.push({ width: v.width, title: v.title, dir: v.dir, path: v.path, status, name });
}

await run(opt, out, state, async () => {
	Object.assign(state, await open(opt, out, { js }));
	const page = state.page;
	let last = 0;
	page.on('response', (r) => { if (r.request().resourceType() === 'document') last = r.status(); });
	await signIn(page, opt, { user: opt.user, password: opt.password }, opt.lang);
	const r = await page.goto(`${opt.url}/secretariat/c/${opt.circular}/import`);
	await visit(page, 'import-form', r ? r.status() : 0);
	await page.setInputFiles('#tsv', opt.tsv);
	const files = (opt.files || '').split(',').filter(Boolean);
	for (let i = 0; i < files.length; i++) await page.setInputFiles(`input[name="file-${i + 1}"]`, files[i]);
	await Promise.all([page.waitForURL(/\/import\/check$/), page.locator('form button[type="submit"]').last().click()]);
	await visit(page, 'import-preview', last);
	await Promise.all([page.waitForURL(new RegExp(`/secretariat/c/${opt.circular}(#replies)?$`)), page.locator('#confirm').dblclick()]);
	await visit(page, 'after-confirm', last);
	out.after = page.url();
});
