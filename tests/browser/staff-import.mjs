// staff-import.mjs - the secretariat's reply import in a real browser
// headless Chromium at 390 px signs in as --user NAME
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
import { chromium } from 'playwright-core';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WIDTH = 390;
const opt = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) opt[argv[i].slice(2)] = argv[i + 1];
for (const k of ['url', 'lang', 'user', 'password', 'circular', 'tsv'])
	if (!opt[k]) { process.stderr.write(`staff-import.mjs: --${k} is required\n`); process.exit(1); }
const exe = opt.chromium || '/usr/bin/chromium';
const js = (opt.js || 'off') === 'on';
if (opt.shots) mkdirSync(opt.shots, { recursive: true });
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--no-first-run', '--disable-quic'];
let ignoreHTTPSErrors = true;
if (opt['server-cert']) {
	const cert = new X509Certificate(readFileSync(opt['server-cert']));
	const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
	args.push(`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`);
	ignoreHTTPSErrors = false;
}
const profile = mkdtempSync(join(tmpdir(), 'ballot-chromium-'));
const out = { visits: [], console_errors: [], csp_violations: [] };
let context, page, shot = 0;

async function measure(name, status) {
	const v = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, title: document.title,
		dir: document.documentElement.dir }));
	v.path = new URL(page.url()).pathname;
	v.status = status;
	v.name = name;
	out.visits.push(v);
	if (opt.shots) await page.screenshot({ path: join(opt.shots, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

try {
	context = await chromium.launchPersistentContext(profile, {
		executablePath: exe, headless: true, args, ignoreHTTPSErrors, javaScriptEnabled: js,
		acceptDownloads: false, viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true,
		deviceScaleFactor: 1, locale: 'en-GB', timeout: 60000,
	});
	page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(30000);
	page.on('console', (m) => {
		if (m.type() !== 'error' || /\/favicon\.ico$/.test(m.location().url || '')) return;
		const t = m.text();
		(/Content Security Policy/i.test(t) ? out.csp_violations : out.console_errors).push(t);
	});
	let last = 0;
	page.on('response', (r) => { if (r.request().resourceType() === 'document') last = r.status(); });
	await page.goto(`${opt.url}/signin?lang=${opt.lang}`);
	const f = page.locator('form:has(input[name="kind"][value="user"])');
	await f.locator('#user').fill(opt.user);
	await f.locator('#password').fill(opt.password);
	await Promise.all([page.waitForURL(/\/secretariat$/), f.locator('button[type="submit"]').click()]);
	const r = await page.goto(`${opt.url}/secretariat/c/${opt.circular}/import`);
	await measure('import-form', r ? r.status() : 0);
	await page.setInputFiles('#tsv', opt.tsv);
	const files = (opt.files || '').split(',').filter(Boolean);
	for (let i = 0; i < files.length; i++) await page.setInputFiles(`input[name="file-${i + 1}"]`, files[i]);
	await Promise.all([page.waitForURL(/\/import\/check$/), page.locator('form button[type="submit"]').last().click()]);
	await measure('import-preview', last);
	await Promise.all([page.waitForURL(new RegExp(`/secretariat/c/${opt.circular}(#replies)?$`)), page.locator('#confirm').dblclick()]);
	await measure('after-confirm', last);
	out.after = page.url();
	process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
	process.stderr.write(`staff-import.mjs: ${err && err.message ? err.message.split('\n')[0] : String(err)} (at ${page ? page.url() : '-'})\n`);
	if (page && opt.shots) await page.screenshot({ path: join(opt.shots, 'failed.png'), fullPage: true }).catch(() => {});
	process.exitCode = 1;
} finally {
	if (context) await context.close().catch(() => {});
	rmSync(profile, { recursive: true, force: true });
}
