// Package web is the browser front end of talentdb: server-rendered pages (html/template)
// behind the sign-in of internal/auth, with every template, style sheet, script and the
// vendored Apache ECharts embedded in the binary, so the app works with no internet.
//
// Pages: the office dashboard, the cohort explorer, the school workspace (nominees, the
// follow-up due list with quick forms, imports and templates), the person page (timeline,
// masked identity, versioned edit), the annual report page, and administration (accounts,
// API tokens, the audit log). Text is Chinese (zh-CN) with an English switch (?lang=en,
// remembered in a cookie).
//
// The handler is mounted at "/" by internal/cli (cli.Mount), behind the API's middleware.
// Pages call the same doors (internal/doors) as the API, with the signed-in user as the
// caller, so a page can never show or write what the API would not.
//
// What it must never do: use inline scripts, inline styles or inline event handlers (the
// pages carry a strict Content-Security-Policy); show an identity or phone number in clear;
// write without the session's CSRF token; import internal/httpapi or internal/store; or keep
// state of its own beyond the embedded assets.
package web
