// Package selfreport is the door of self-report links (docs/self-report.md): a school (or
// the office) makes a link per alumnus, or one for everyone on its due list; the alumnus —
// or, under 14, the guardian — answers on a page without an account; the school accepts
// the answer, which records the destination, the prizes and a follow-up of channel
// `survey` dated the day of the answer, all in one unit of work.
//
// The link's token is its holder's only credential: the door verifies its signature before
// any query, the database knows only its SHA-256, and the holder's one action is answering
// for that link's person (access.SelfReportAnswer), through the database functions
// self_report_open and self_report_answer. A token that is unknown, forged, expired,
// revoked or used answers the same ErrLinkDead, so nobody learns which. Opening and
// answering are rate-limited per token and per address.
//
// It must never show more of the person than the given name and the school, never keep a
// token, and never write the records of an answer before the school accepts it.
package selfreport
