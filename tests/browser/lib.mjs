// lib.mjs - what every browser test of the portal shares: its arguments,
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core,
// never downloading a browser) trusting only the test server's certificate,
// one browser context with the console and the documents recorded, signing
// in as an administration or a user, the page's width, what a test measures
// of a page (measure) and screenshots, and
// the end of a run (the JSON on stdout, or the reason on stderr and exit 1).
import { chromium } from 'playwright-core';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WIDTH = 390;

export function fail(msg) {
	throw new Error(msg);
}

// The options --name value of the command line; each of required must be
// given. Exits 1 (the reason on stderr, prefixed with tag) otherwise, or
// when Chromium (--chromium, else /usr/bin/chromium) is missing.
export function options(tag, required) {
	const die = (msg) => {
		process.stderr.write(`${tag}: ${msg}\n`);
		process.exit(1);
	};
	const opt = {};
	const argv = process.argv.slice(2);
	for (let i = 0; i < argv.length; i += 2) {
		if (!argv[i].startsWith('--') || argv[i + 1] === undefined) die(`bad argument '${argv[i]}'`);
		opt[argv[i].slice(2)] = argv[i + 1];
	}
	for (const k of required)
		if (!opt[k]) die(`--${k} is required`);
	opt.exe = opt.chromium || '/usr/bin/chromium';
	if (!existsSync(opt.exe)) die(`no Chromium at ${opt.exe} (Debian package chromium; tests/deps.sh installs it)`);
	if (opt.shots) mkdirSync(opt.shots, { recursive: true });
	opt.tag = tag;
	return opt;
}

// Chromium's arguments; with --server-cert, only that certificate's key is
// trusted (its SPKI pinned), else certificate errors are ignored.
export function chromiumArgs(opt) {
	const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
		'--disable-sync', '--no-first-run', '--disable-quic'];
	let ignoreHTTPSErrors = true;
	if (opt['server-cert']) {
		const cert = new X509Certificate(readFileSync(opt['server-cert']));
		const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
		args.push(`--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`);
		ignoreHTTPSErrors = false;
	}
	return { args, ignoreHTTPSErrors };
}

// Records on page the console's errors (CSP violations apart; a line
// matching ignore is not one) and every document answered
// ("METHOD /path STATUS") into out.
export function watch(page, out, ignore) {
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		if (/\/favicon\.ico$/.test(m.location().url || '')) return;
		const t = m.text();
		if (ignore && ignore.test(t)) return;
		(/Content Security Policy/i.test(t) ? out.csp_violations : out.console_errors).push(t);
	});
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (u.pathname === '/static/style.css') out.stylesheet = r.status();
		if (r.request().resourceType() === 'document') out.pages.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
	});
}

// One browser context in a fresh profile: a phone (WIDTH px, touch) unless
// width is given, JavaScript on or off, watched (watch). Returns
// { context, page, close }.
export async function open(opt, out, { js = false, width = WIDTH, height = 844, ignore } = {}) {
	const { args, ignoreHTTPSErrors } = chromiumArgs(opt);
	const profile = mkdtempSync(join(tmpdir(), 'ballot-chromium-'));
	const mobile = width <= WIDTH;
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: opt.exe, headless: true, args, ignoreHTTPSErrors, javaScriptEnabled: js,
		acceptDownloads: false, viewport: { width, height }, isMobile: mobile, hasTouch: mobile,
		deviceScaleFactor: 1, locale: 'en-GB', timeout: 60000,
	});
	const page = context.pages()[0] || await context.newPage();
	page.setDefaultTimeout(30000);
	watch(page, out, ignore);
	const close = async () => {
		await context.close().catch(() => {});
		rmSync(profile, { recursive: true, force: true });
	};
	return { context, page, close };
}

// Signs in on /signin?lang=LANG: as an administration (who.member,
// who.code) or a user (who.user, who.password); waits for the home page.
export async function signIn(page, opt, who, lang) {
	const resp = await page.goto(`${opt.url}/signin${lang ? `?lang=${lang}` : ''}`);
	if (!resp || resp.status() !== 200) fail(`GET /signin: ${resp && resp.status()}`);
	const kind = who.member ? 'member' : 'user';
	const f = page.locator(`form:has(input[name="kind"][value="${kind}"])`);
	if (who.member) {
		await f.locator('#member').fill(who.member);
		await f.locator('#code').fill(who.code);
	} else {
		await f.locator('#user').fill(who.user);
		await f.locator('#password').fill(who.password);
	}
	await Promise.all([page.waitForURL(who.member ? '**/member' : /\/(chair|secretariat)$/),
		f.locator('button[type="submit"]').click()]);
}

// The page's width in CSS pixels (document.documentElement.scrollWidth:
// wider than the screen means it scrolls sideways).
export async function width(page) {
	return page.evaluate(() => document.documentElement.scrollWidth);
}

// A full-page screenshot in --shots (numbered in order), when given.
let shots = 0;
export async function shot(page, opt, name) {
	if (opt.shots)
		await page.screenshot({ path: join(opt.shots, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
}

// What every test measures of the page it is on, with a screenshot named
// name in --shots: width (document.documentElement.scrollWidth: wider than
// the screen means it scrolls sideways) and body_width (the body's), dir
// (the document's direction), rows (the data rows of stacked tables,
// table.stack) and stacked (those shown as blocks), th_shown (their header
// cells or rows still shown), title, time_left (the .time-left text, or
// null) and path (where the page is).
export async function measure(page, opt, name) {
	const v = await page.evaluate(() => {
		const tl = document.querySelector('.time-left');
		let stacked = 0, thShown = 0, rows = 0;
		for (const tr of document.querySelectorAll('table.stack tr')) {
			if (!tr.querySelector('td')) continue; // the header row: hidden
			rows++;
			if (getComputedStyle(tr).display === 'block') stacked++;
		}
		for (const th of document.querySelectorAll('table.stack th, table.stack tr:has(th)'))
			if (getComputedStyle(th).display !== 'none') thShown++;
		return {
			width: document.documentElement.scrollWidth,
			body_width: document.body.scrollWidth,
			dir: document.documentElement.dir,
			rows, stacked, th_shown: thShown,
			title: document.title,
			time_left: tl ? tl.textContent.trim() : null,
		};
	});
	v.path = new URL(page.url()).pathname;
	await shot(page, opt, name);
	return v;
}

// Runs body(); prints out as one JSON line, or on failure the reason on
// stderr (with where the page was and the documents seen), a screenshot
// failed.png, and exit status 1. state.page and state.close are the
// current page and its closing, when body set them.
export async function run(opt, out, state, body) {
	try {
		await body();
		process.stdout.write(JSON.stringify(out) + '\n');
	} catch (err) {
		const page = state.page;
		process.stderr.write(`${opt.tag}: ${err && err.message ? err.message.split('\n')[0] : String(err)}` +
			` (at ${page ? page.url() : '-'}; pages: ${(out.pages || []).join(', ')})\n`);
		if (page && opt.shots) await page.screenshot({ path: join(opt.shots, 'failed.png'), fullPage: true }).catch(() => {});
		process.exitCode = 1;
	} finally {
		if (state.close) await state.close();
	}
}
