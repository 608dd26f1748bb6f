/* style.c - the portal's stylesheet (served as /static/style.css). The bars
 * of the tally are classes (.w0 ... .w100) because the Content-Security-
 * Policy allows no inline style. */
#include "portal/style.h"

#define W10(d) ".w" #d "0{width:" #d "0%}.w" #d "1{width:" #d "1%}.w" #d "2{width:" #d "2%}" \
	".w" #d "3{width:" #d "3%}.w" #d "4{width:" #d "4%}.w" #d "5{width:" #d "5%}" \
	".w" #d "6{width:" #d "6%}.w" #d "7{width:" #d "7%}.w" #d "8{width:" #d "8%}.w" #d "9{width:" #d "9%}\n"
#define T1(n) ".t" n "{inset-inline-start:" n "%}"
#define T10(d) T1(#d "0") T1(#d "1") T1(#d "2") T1(#d "3") T1(#d "4") T1(#d "5") T1(#d "6") T1(#d "7") \
	T1(#d "8") T1(#d "9") "\n"

const char portal_css[] =
	"body{font-family:'Liberation Sans',Arial,'Noto Sans',sans-serif;margin:0;color:#1a1a1a;background:#fafafa}\n"
	"header{background:#003366;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:1em;align-items:center}\n"
	"header a{color:#fff}.site{font-weight:bold;text-decoration:none;margin-inline-end:auto}\n"
	".langs a,.langs strong{margin:0 .25em}.signout{display:flex;gap:.5em;align-items:center;margin:0}\n"
	"main{max-width:72em;margin:0 auto;padding:1em}footer{color:#666;font-size:.85em;padding:1em;text-align:center}\n"
	"table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.35em .5em;"
	"text-align:start;vertical-align:top}th{background:#e8eef5}\n"
	"fieldset{border:1px solid #ccc;margin:0 0 1em;background:#fff;min-width:0}legend{font-weight:bold}\n"
	"label{display:block;margin:.3em 0}input[type=text],input[type=password],textarea{width:100%;max-width:30em;"
	"padding:.3em;box-sizing:border-box}\n"
	/* a select is as wide as its longest option (a draft's title): never
	 * wider than the screen */
	"select{max-width:100%;box-sizing:border-box}details.engine{margin:.5em 0 1em;color:#444}\n"
	/* on a narrow screen a wide table scrolls by itself, not the page */
	"@media (max-width:40em){table{display:block;overflow-x:auto}}\n"
	/* s12-pages: tables of class "stack" become stacked rows on a narrow
	 * screen, each cell headed by its column's name (data-label) */
	"@media (max-width:40em){table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;"
	"overflow:visible}table.stack th,table.stack tr:has(th){display:none}table.stack tr{border:1px solid #ccc;margin:0 0 .6em;"
	"background:#fff}table.stack td{border:0;border-bottom:1px solid #eee;overflow-wrap:anywhere}"
	"table.stack td[data-label]::before{content:attr(data-label);display:block;font-weight:bold;"
	"font-size:.85em;color:#444}table.stack td:empty{display:none}}\n"
	".facts .time-left{white-space:nowrap}.summary{margin:.3em 0}.text-hash{margin:.3em 0;font-size:.9em}\n"
	".choices label{display:block;margin:.25em 0}.choices label.sub{margin-inline-start:2em}button{padding:.4em 1.2em;font-size:1em}\n"
	".error{background:#fde8e8;border:1px solid #c00;padding:.6em}.note{background:#fff8e1;border:1px solid #e0b000;"
	"padding:.6em}.ok{background:#e8f5e9;border:1px solid #2e7d32;padding:.6em}\n"
	".receipt{background:#fff;border:2px solid #2e7d32;padding:.6em 1em;margin:1em 0}.receipt dt{font-weight:bold}"
	".receipt dd{margin:0 0 .4em}code{word-break:break-all}\n"
	".bar{position:relative;height:1.2em;background:#eee;border:1px solid #999;max-width:30em}"
	".fill{height:100%;background:#2e7d32}.fill.low{background:#c62828}"
	".line{position:absolute;top:-.2em;bottom:-.2em;border-inline-start:2px solid #000}\n"
	W10() W10(1) W10(2) W10(3) W10(4) W10(5) W10(6) W10(7) W10(8) W10(9) ".w100{width:100%}\n"
	/* s12-staff: dangerous acts; tables that become stacked rows (each cell
	 * labelled by its data-label) on a narrow screen */
	"button.danger{background:#b3261e;color:#fff;border:2px solid #7f1d1d;border-radius:3px}"
	".danger-zone{border:2px solid #b3261e;padding:0 1em 1em;margin:3em 0 1em;background:#fff}"
	".decision-text{background:#fff;border-inline-start:4px solid #003366;padding:.6em 1em;margin:1em 0}"
	".status.superseded,.status.withdrawn{text-decoration:line-through}.status.late{color:#b3261e}"
	".reply-code{font-size:1.4em}\n"
	"@media (max-width:40em){table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;"
	"width:auto}table.stack thead{display:none}table.stack tr{border:1px solid #ccc;margin:0 0 .6em}"
	"table.stack td{border:0;border-bottom:1px solid #eee;overflow-wrap:anywhere}"
	"table.stack td[data-label]::before{content:attr(data-label);display:block;font-weight:bold;"
	"font-size:.85em;color:#444}}\n"
	T10() T10(1) T10(2) T10(3) T10(4) T10(5) T10(6) T10(7) T10(8) T10(9) ".t100{inset-inline-start:100%}\n"
	/* a refused form shown again: the summary on top, the
	 * sentence next to its field, the field marked */
	".error-summary{border:3px solid #c00;padding:0 1em;margin:1em 0;background:#fff}"
	".error-summary h2{color:#b3261e}.error-summary:focus{outline:3px solid #003366}"
	".field-error{color:#b3261e;font-weight:bold;margin:.4em 0}"
	"[aria-invalid=true]{outline:3px solid #c00;outline-offset:2px}\n"
	/* the upload of a returned form beside the reply form, what
	 * it filled in; the mail inbox's entries */
	".upload{border:1px dashed #003366;padding:0 1em 1em;margin:1em 0;background:#fff}"
	".upload h2{font-size:1.1em}input[type=file]{max-width:100%}"
	"button.secondary{background:#fff;color:#003366;border:2px solid #003366;border-radius:3px}"
	".kept{background:#e8eef5;border:2px solid #003366;padding:0 1em;margin:0 0 1em}"
	".kept-name,.signer{overflow-wrap:anywhere}.kept-size{white-space:nowrap}"
	".inbox-entry dd{overflow-wrap:anywhere}.inbox-state.refused{color:#b3261e}.inbox-state.matched{color:#2e7d32}.inbox-state.uncertain{color:#8a5a00}pre.mail{white-space:pre-wrap;"
	"overflow-wrap:anywhere;background:#fff;border:1px solid #ccc;padding:.6em}\n";
