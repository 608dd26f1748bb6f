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
//      --visit PATH,PATH [--js on|off] [--width PX (390)] [--shots DIR] [--server-cert server.pem] [--chromium PATH]
import { WIDTH, options, open, signIn, measure, run } from './lib.mjs';

const opt = options('pages.mjs', ['url', 'lang', 'visit']);
if (!opt.member && !(opt.user && opt.password)) {
	process.stderr.write('pages.mjs: --member or --user and --password are required\n');
	process.exit(1);
}
const js = (opt.js || 'off') === 'on';
const out = { csp_violations: [], console_errors: [], pages: [], visits: [], viewport: Number(opt.width || WIDTH), js };
const state = {};

await run(opt, out, state, async () => {
	Object.assign(state, await open(opt, out, { js, width: Number(opt.width || WIDTH) }));
	const page = state.page;
	if (opt.member) {
		const [member, code] = opt.member.split(':');
		await signIn(page, opt, { member, code }, opt.lang);
	} else {
		await signIn(page, opt, { user: opt.user, password: opt.password }, opt.lang);
	}
	for (const path of opt.visit.split(',').filter(Boolean)) {
		const v = { path };
		const r = await page.goto(`${opt.url}${path}`);
		v.status = r ? r.status() : 0;
		const m = await measure(page, opt, path.replace(/[^a-z0-9]+/gi, '-'));
		delete m.path; // v.path: the path visited
		Object.assign(v, m);
		out.visits.push(v);
	}
});
