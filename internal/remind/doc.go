// Package remind is the door to the reminders (docs/reminders.md): per school — and for
// the office, the province — whether a daily digest of the follow-up schedule is sent and
// to whom (a 企业微信 or 钉钉 group robot, e-mail over SMTP), and the run that sends the
// day's digests with retries, recording every send so that a second run of the day sends
// nothing again.
//
// A digest carries counts only — how many alumni are due, how many overdue — taken from
// the report door (report.Service.DueCounts, the due list page's own figures), and a link
// to the due list. It must never carry a name, an identity number or anything else about
// one person, and it must never count the schedule a second way.
package remind
