package vocab

import "time"

// China is the offices' time zone (Asia/Shanghai: UTC+8, no daylight saving). "Today" in
// talentdb is a civil date there, whatever the server's own time zone (CONTRACT.md).
var China = time.FixedZone("CST", 8*60*60)

// DateOf is the civil date in China of the instant t, as midnight UTC — the form the store
// and the database expect for a DATE value.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(China).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is today's civil date in China by the clock now (time.Now when nil), as midnight UTC.
func Today(now func() time.Time) time.Time {
	if now == nil {
		return DateOf(time.Now())
	}
	return DateOf(now())
}

// Clock is a service's clock, so tests can pin "today": Now is the instant (time.Now when
// the Clock is nil), Today the civil date in China by it.
type Clock func() time.Time

// Now is the instant by c, time.Now when c is nil.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}

// Today is today's civil date in China by c, as midnight UTC.
func (c Clock) Today() time.Time { return Today(c) }

// ConsentAge is the age under which a person needs a guardian's consent (PIPL art. 31).
const ConsentAge = 14

// UnderConsentAge reports whether a person born on birth is under ConsentAge on today
// (both civil dates) — the rule of the database's consent gate (needs_guardian_consent,
// migrations/00093: date + interval), so a person born on 29 February turns 14 on
// 28 February in a common year.
func UnderConsentAge(birth, today time.Time) bool {
	return AddYears(birth, ConsentAge).After(today)
}

// AddYears is the civil date d plus k years as PostgreSQL's date + interval computes it:
// 29 February in a common year is 28 February.
func AddYears(d time.Time, k int) time.Time {
	y, m, day := d.Date()
	t := time.Date(y+k, m, day, 0, 0, 0, 0, time.UTC)
	if t.Month() != m { // 29 February in a common year rolled into March
		t = time.Date(y+k, m+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	}
	return t
}

// FormatDate is t's calendar date as YYYY-MM-DD, what t.Format(time.DateOnly) gives,
// without the layout interpreter: the due list and the timeline format three dates a row
// for hundreds of rows a request. Years outside 0-9999 go through time.Format.
func FormatDate(t time.Time) string {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format(time.DateOnly)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}
