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
import { chromium } from 'playwright-core';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function die(msg) {
	process.stderr.write(`once.mjs: ${msg}\n`);
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
for (const k of ['url', 'member', 'code', 'circular'])
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

const out = { console_errors: [] };
const path = (u) => new URL(u).pathname;

// one run: sign in, open the form, double-click Send, reload, Back, Forward
async function run(browser, js, code, tag) {
	const context = await browser.newContext({ ignoreHTTPSErrors, javaScriptEnabled: js, locale: 'en-GB',
		viewport: { width: 1000, height: 900 } });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	page.on('console', (m) => {
		if (m.type() === 'error' && !/\/favicon\.ico$/.test(m.location().url || '')) out.console_errors.push(m.text());
	});
	const o = { posts: [], docs: [] };
	page.on('response', (r) => {
		if (r.request().resourceType() !== 'document') return;
		o.docs.push(`${r.request().method()} ${path(r.url())} ${r.status()}`);
		if (r.request().method() === 'POST' && path(r.url()).endsWith('/reply')) o.posts.push(r.status());
	});
	let resp = await page.goto(`${opt.url}/signin`);
	if (!resp || resp.status() !== 200) fail(`GET /signin: ${resp && resp.status()}`);
	const form = page.locator('form:has(input[name="kind"][value="member"])');
	await form.locator('#member').fill(opt.member);
	await form.locator('#code').fill(code);
	await Promise.all([page.waitForURL('**/member'), form.locator('button[type="submit"]').click()]);
	resp = await page.goto(`${opt.url}/member/c/${opt.circular}`);
	if (!resp || resp.status() !== 200) fail(`GET form: ${resp && resp.status()}`);
	await page.locator('input[name="choice-1"][value="authorize"]').check();
	// the double click: two submissions of the same form, as fast as the browser sends them
	await Promise.all([page.waitForURL('**/member/sent/**'),
		page.locator('form[enctype="multipart/form-data"] button[type="submit"]').dblclick()]);
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
	await context.close();
	return o;
}

// the receipt page at 390 px in lang: its width
async function width(browser, lang, code) {
	const context = await browser.newContext({ ignoreHTTPSErrors, viewport: { width: 390, height: 800 } });
	const page = await context.newPage();
	await page.goto(`${opt.url}/signin`);
	const form = page.locator('form:has(input[name="kind"][value="member"])');
	await form.locator('#member').fill(opt.member);
	await form.locator('#code').fill(code);
	await Promise.all([page.waitForURL('**/member'), form.locator('button[type="submit"]').click()]);
	const resp = await page.goto(`${opt.url}${out.js.url}?lang=${lang}`);
	if (!resp || resp.status() !== 200) fail(`GET ${out.js.url}?lang=${lang}: ${resp && resp.status()}`);
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	if (opt.shots) await page.screenshot({ path: join(opt.shots, `receipt-390-${lang}.png`), fullPage: true });
	await context.close();
	return w;
}

const profile = mkdtempSync(join(tmpdir(), 'ballot-chromium-'));
let browser;
try {
	browser = await chromium.launch({ executablePath: exe, headless: true, args, timeout: 60000 });
	out.js = await run(browser, true, opt.code, 'js');
	out.nojs = await run(browser, false, opt.code2 || opt.code, 'nojs');
	out.widths = {};
	for (const l of ['en', 'ar', 'zh']) out.widths[l] = await width(browser, l, opt.code);
	process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
	process.stderr.write(`once.mjs: ${err && err.message ? err.message.split('\n')[0] : String(err)}\n`);
	process.exitCode = 1;
} finally {
	if (browser) await browser.close().catch(() => {});
	rmSync(profile, { recursive: true, force: true });
}
