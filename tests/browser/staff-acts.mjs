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
import { chromium } from 'playwright-core';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WIDTH = 390;
function die(msg) {
	process.stderr.write(`staff-acts.mjs: ${msg}\n`);
	process.exit(1);
}
function fail(msg) {
	throw new Error(msg);
}
const opt = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
	if (!argv[i].startsWith('--') || argv[i + 1] === undefined) die(`bad argument '${argv[i]}'`);
	opt[argv[i].slice(2)] = argv[i + 1];
}
for (const k of ['url', 'user', 'password', 'lang', 'circular', 'draft', 'revoke'])
	if (!opt[k]) die(`--${k} is required`);
const exe = opt.chromium || '/usr/bin/chromium';
if (!existsSync(exe)) die(`no Chromium at ${exe} (Debian package chromium; tests/deps.sh installs it)`);
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
const out = { steps: [], confirm_buttons: [], csp_violations: [], console_errors: [], pages: [], viewport: WIDTH };
let context, page, shot = 0;

// The page now: its status, path, width (scrollWidth) and a screenshot.
async function step(name, status) {
	const s = { name, status, path: new URL(page.url()).pathname };
	s.width = await page.evaluate(() => document.documentElement.scrollWidth);
	s.dir = await page.evaluate(() => document.documentElement.getAttribute('dir'));
	const e = page.locator('p.error').first();
	if (await e.count()) s.error = (await e.textContent()).trim();
	if (opt.shots) await page.screenshot({ path: join(opt.shots, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });
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

try {
	context = await chromium.launchPersistentContext(profile, {
		executablePath: exe, headless: true, args, ignoreHTTPSErrors, javaScriptEnabled: opt.js === 'on',
		acceptDownloads: false, viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true,
		deviceScaleFactor: 1, locale: 'en-GB', timeout: 60000,
	});
	page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(30000);
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		if (/\/favicon\.ico$/.test(m.location().url || '')) return;
		const t = m.text();
		(/Content Security Policy/i.test(t) ? out.csp_violations : out.console_errors).push(t);
	});
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (r.request().resourceType() === 'document') out.pages.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
	});
	let resp = await page.goto(`${opt.url}/signin?lang=${opt.lang}`);
	if (!resp || resp.status() !== 200) fail(`GET /signin: ${resp && resp.status()}`);
	const form = page.locator('form:has(input[name="kind"][value="user"])');
	await form.locator('#user').fill(opt.user);
	await form.locator('#password').fill(opt.password);
	await Promise.all([page.waitForURL('**/secretariat'), form.locator('button[type="submit"]').click()]);

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
	process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
	process.stderr.write(`staff-acts.mjs: ${err && err.message ? err.message.split('\n')[0] : String(err)}` +
		` (at ${page ? page.url() : '-'}; pages: ${out.pages.join(', ')})\n`);
	if (page && opt.shots) await page.screenshot({ path: join(opt.shots, 'failed.png'), fullPage: true }).catch(() => {});
	process.exitCode = 1;
} finally {
	if (context) await context.close().catch(() => {});
	rmSync(profile, { recursive: true, force: true });
}
