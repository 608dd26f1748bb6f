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
import { chromium } from 'playwright-core';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function die(msg) {
	process.stderr.write(`reply.mjs: ${msg}\n`);
	process.exit(1);
}
// inside the browser session: thrown, so that the browser is closed first
function fail(msg) {
	throw new Error(msg);
}

const opt = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
	if (!argv[i].startsWith('--') || argv[i + 1] === undefined) die(`bad argument '${argv[i]}'`);
	opt[argv[i].slice(2)] = argv[i + 1];
}
for (const k of ['url', 'member', 'code', 'circular', 'file', 'signatory'])
	if (!opt[k]) die(`--${k} is required`);
const exe = opt.chromium || '/usr/bin/chromium';
if (!existsSync(exe)) die(`no Chromium at ${exe} (Debian package chromium; tests/deps.sh installs it)`);

const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--no-first-run', '--disable-quic'];
let ignoreHTTPSErrors = true;
if (opt['server-cert']) {
	// the SHA-256 of the server key's SubjectPublicKeyInfo, base64: only that key is trusted
	const cert = new X509Certificate(readFileSync(opt['server-cert']));
	const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
	args.push(`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`);
	ignoreHTTPSErrors = false;
}

const profile = mkdtempSync(join(tmpdir(), 'ballot-chromium-'));
const out = { csp_violations: [], pages: [], console_errors: [] };
let context;
try {
	// a persistent context on a new, empty user-data dir (the SPKI flag needs one)
	context = await chromium.launchPersistentContext(profile, {
		executablePath: exe, headless: true, args, ignoreHTTPSErrors,
		acceptDownloads: false, viewport: { width: 1000, height: 900 }, locale: 'en-GB', timeout: 60000,
	});
	const page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(30000);
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const t = m.text();
		// the browser's own request for /favicon.ico gets the server's 404: not a page's error
		if (/\/favicon\.ico$/.test(m.location().url || '')) return;
		(/Content Security Policy/i.test(t) ? out.csp_violations : out.console_errors).push(t);
	});
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (u.pathname === '/static/style.css') out.stylesheet = r.status();
		if (r.request().resourceType() === 'document') out.pages.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
	});

	// the sign-in page: the administrations' form
	let resp = await page.goto(`${opt.url}/signin`);
	if (!resp || resp.status() !== 200) fail(`GET /signin: ${resp && resp.status()}`);
	const form = page.locator('form:has(input[name="kind"][value="member"])');
	await form.locator('#member').fill(opt.member);
	await form.locator('#code').fill(opt.code);
	await Promise.all([page.waitForURL('**/member'), form.locator('button[type="submit"]').click()]);

	// the home page links the consultation's reply form
	await Promise.all([page.waitForURL(`**/member/c/${opt.circular}`),
		page.locator(`a[href="/member/c/${opt.circular}"]`).first().click()]);
	await page.locator('input[name="choice-1"][value="authorize-with-comments"]').check();
	await page.locator('#file-1').setInputFiles(opt.file);
	await page.locator('#signatory').fill(opt.signatory);
	if (opt.title) await page.locator('#title').fill(opt.title);
	const [answer] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith(`/member/c/${opt.circular}/reply`) && r.request().method() === 'POST'),
		page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click(),
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
	process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
	process.stderr.write(`reply.mjs: ${err && err.message ? err.message.split('\n')[0] : String(err)}\n`);
	process.exitCode = 1;
} finally {
	if (context) await context.close().catch(() => {});
	rmSync(profile, { recursive: true, force: true });
}
