namespace MirtLab.Worker.Web;

/// <summary>The pages' one stylesheet, served from <c>/qa.css</c> (the content-security policy allows no inline style).</summary>
internal static class QaStyles
{
    public const string Css =
        """
        :root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8; --bg: #fff; --band: #f4f5f7; --pass: #1b5e20; --review: #8a4b00; --fail: #b00020; --link: #0b4f9c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--bg); }
        a { color: var(--link); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
        header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; padding: .6rem 1.2rem; background: #17324d; color: #fff; }
        header.top a { color: #fff; font-weight: 600; margin-right: 1rem; }
        header.top form { display: inline; margin-left: .8rem; }
        header.top button { font: inherit; }
        main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
        h1 { font-size: 1.5rem; margin: .3rem 0 1rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
        h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
        table { border-collapse: collapse; margin: .4rem 0 1rem; width: 100%; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: var(--band); }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.fail td { background: #fdecee; } tr.review td { background: #fff4e5; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-weight: 700; font-size: .85rem; border: 1px solid currentColor; white-space: nowrap; }
        .o-accepted, .c-pass, .s-final { color: var(--pass); } .o-needs-review, .c-review, .s-corrected { color: var(--review); }
        .o-rejected, .o-not-evaluated, .c-fail, .s-preliminary { color: var(--fail); }
        .muted { color: var(--muted); } .small { font-size: .85rem; }
        .notice { border-left: 5px solid var(--link); background: #eef4fb; padding: .6rem .9rem; margin: .8rem 0; }
        .error { border-left: 5px solid var(--fail); background: #fdecee; padding: .6rem .9rem; margin: .8rem 0; }
        .ok { border-left: 5px solid var(--pass); background: #edf7ee; padding: .6rem .9rem; margin: .8rem 0; }
        form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: .5rem 0 1rem; }
        label { font-weight: 600; display: block; }
        input, select, textarea, button { font: inherit; padding: .3rem .5rem; }
        textarea { width: 100%; max-width: 50rem; min-height: 6rem; }
        button.primary, a.button { background: #17324d; color: #fff; border: 0; padding: .45rem .9rem; border-radius: 3px; text-decoration: none; display: inline-block; cursor: pointer; }
        a.button.reject, button.reject { background: var(--fail); }
        .actions { display: flex; gap: .6rem; flex-wrap: wrap; margin: .4rem 0 .8rem; }
        .plots { display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: flex-start; }
        figure { margin: 0; } figcaption { font-size: .85rem; color: var(--muted); max-width: 640px; }
        svg text { font-family: system-ui, sans-serif; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; word-break: break-all; }
        .signature { border: 2px solid #17324d; padding: .8rem 1rem; max-width: 52rem; background: var(--band); }
        """;
}
