// pages.mjs - a real browser on a 390 px wide screen: headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core) signs in as an
// administration with its reply code (--member CODE:SECRET) or as a user
// (--user NAME --password PW), in a language, and visits the pages given
// with --visit, JavaScript off (--js off, the default) or on (--js on).
// Every page is measured: document.documentElement.scrollWidth (nothing
// wider than the screen), the rows of stacked tables shown as blocks, and
// a screenshot in --shots.
// Prints one JSON object on stdout:
//   {"visits":[{"path":"...","status":200,"width":390,"body_width":390,"rows":3,"stacked":3,"th_shown":0,
//               "time_left":"..."}], "stylesheet":200,"csp_violations":[],"console_errors":[],"viewport":390}
// Exit status 0 when every step ran, 1 otherwise (the reason on stderr).
//
// node pages.mjs --url https://localhost:PORT --lang ar (--member CHN:CODE | --user NAME --password PW)
//      --visit PATH,PATH [--js on|off] [--shots DIR] [--server-cert server.pem] [--chromium PATH]
import { chromium } from 'playwright-core';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WIDTH = 390;

function die(msg) {
	process.stderr.write(`pages.mjs: ${msg}\n`);
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
for (const k of ['url', 'lang', 'visit'])
	if (!opt[k]) die(`--${k} is required`);
if (!opt.member && !(opt.user && opt.password)) die('--member or --user and --password are required');
const exe = opt.chromium || '/usr/bin/chromium';
if (!existsSync(exe)) die(`no Chromium at ${exe} (Debian package chromium; tests/deps.sh installs it)`);
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
const out = { csp_violations: [], console_errors: [], pages: [], visits: [], viewport: WIDTH, js };
let context, page, shot = 0;

async function measure(page, o, name) {
	Object.assign(o, await page.evaluate(() => {
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
			rows, stacked, th_shown: thShown,
			dir: document.documentElement.dir,
			time_left: tl ? tl.textContent.trim() : null,
		};
	}));
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
		if (m.type() !== 'error') return;
		if (/\/favicon\.ico$/.test(m.location().url || '')) return;
		const t = m.text();
		(/Content Security Policy/i.test(t) ? out.csp_violations : out.console_errors).push(t);
	});
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (u.pathname === '/static/style.css') out.stylesheet = r.status();
		if (r.request().resourceType() === 'document') out.pages.push(`${r.request().method()} ${u.pathname} ${r.status()}`);
	});

	const resp = await page.goto(`${opt.url}/signin?lang=${opt.lang}`);
	if (!resp || resp.status() !== 200) fail(`GET /signin: ${resp && resp.status()}`);
	if (opt.member) {
		const [m, code] = opt.member.split(':');
		const f = page.locator('form:has(input[name="kind"][value="member"])');
		await f.locator('#member').fill(m);
		await f.locator('#code').fill(code);
		await Promise.all([page.waitForURL('**/member'), f.locator('button[type="submit"]').click()]);
	} else {
		const f = page.locator('form:has(input[name="kind"][value="user"])');
		await f.locator('#user').fill(opt.user);
		await f.locator('#password').fill(opt.password);
		await Promise.all([page.waitForURL(/\/(chair|secretariat)$/), f.locator('button[type="submit"]').click()]);
	}
	for (const path of opt.visit.split(',').filter(Boolean)) {
		const v = { path };
		const r = await page.goto(`${opt.url}${path}`);
		v.status = r ? r.status() : 0;
		await measure(page, v, path.replace(/[^a-z0-9]+/gi, '-'));
		out.visits.push(v);
	}
	process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
	process.stderr.write(`pages.mjs: ${err && err.message ? err.message.split('\n')[0] : String(err)}` +
		` (at ${page ? page.url() : '-'}; pages: ${out.pages.join(', ')})\n`);
	if (page && opt.shots) await page.screenshot({ path: join(opt.shots, 'failed.png'), fullPage: true }).catch(() => {});
	process.exitCode = 1;
} finally {
	if (context) await context.close().catch(() => {});
	rmSync(profile, { recursive: true, force: true });
}
