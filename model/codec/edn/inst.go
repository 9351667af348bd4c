package edn

import (
	"fmt"
	"time"

	"onyx-dashboard/model/value"
)

// parseInst reads an #inst string as clojure.instant does: yyyy[-mm[-dd[Thh[:mm[:ss[.fff…]]]]]]
// then Z, ±hh:mm or nothing (UTC). Like java.util.Date it keeps milliseconds.
// Years have four digits or more; calendar dates are proleptic Gregorian, so
// dates before 1582-10-15 differ from Java's Julian reading of them.
func parseInst(s string) (value.Inst, error) {
	bad := func(what string) (value.Inst, error) {
		return value.Inst{}, fmt.Errorf("invalid #inst %q: %s", s, what)
	}
	i := 0
	num := func(n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		x := 0
		for _, c := range []byte(s[i : i+n]) {
			if !isDigit(c) {
				return 0, false
			}
			x = x*10 + int(c-'0')
		}
		i += n
		return x, true
	}
	yl := 0
	for yl < len(s) && isDigit(s[yl]) {
		yl++
	}
	if yl < 4 || yl > 8 { // 8 digits keep milliseconds within an int64
		return bad("want a year of 4 to 8 digits")
	}
	year, _ := num(yl)
	month, day, hour, minute, sec, nanos := 1, 1, 0, 0, 0, 0
	var ok bool
	if i < len(s) && s[i] == '-' && i+1 < len(s) && isDigit(s[i+1]) {
		i++
		if month, ok = num(2); !ok {
			return bad("want a 2-digit month")
		}
		if i < len(s) && s[i] == '-' && i+1 < len(s) && isDigit(s[i+1]) {
			i++
			if day, ok = num(2); !ok {
				return bad("want a 2-digit day")
			}
			if i < len(s) && s[i] == 'T' {
				i++
				if hour, ok = num(2); !ok {
					return bad("want a 2-digit hour")
				}
				if i < len(s) && s[i] == ':' && i+1 < len(s) && isDigit(s[i+1]) {
					i++
					if minute, ok = num(2); !ok {
						return bad("want 2-digit minutes")
					}
					if i < len(s) && s[i] == ':' && i+1 < len(s) && isDigit(s[i+1]) {
						i++
						if sec, ok = num(2); !ok {
							return bad("want 2-digit seconds")
						}
						if i < len(s) && s[i] == '.' {
							i++
							j := i
							for i < len(s) && isDigit(s[i]) {
								if i-j < 9 {
									nanos = nanos*10 + int(s[i]-'0')
								}
								i++
							}
							if i == j {
								return bad("want digits after '.'")
							}
							for k := i - j; k < 9; k++ {
								nanos *= 10
							}
						}
					}
				}
			}
		}
	}
	offset := 0
	if i < len(s) {
		switch s[i] {
		case 'Z':
			i++
		case '+', '-':
			sign := 1
			if s[i] == '-' {
				sign = -1
			}
			i++
			oh, ok1 := num(2)
			if !ok1 || i >= len(s) || s[i] != ':' {
				return bad("want an offset ±hh:mm")
			}
			i++
			om, ok2 := num(2)
			if !ok2 || oh > 23 || om > 59 {
				return bad("want an offset ±hh:mm")
			}
			offset = sign * (oh*60 + om) * 60
		}
	}
	if i != len(s) {
		return bad("unexpected text at character " + fmt.Sprint(i+1))
	}
	switch {
	case month < 1 || month > 12:
		return bad("month out of range")
	case day < 1 || day > daysIn(year, month):
		return bad("day out of range")
	case hour > 23:
		return bad("hour out of range")
	case minute > 59:
		return bad("minutes out of range")
	case sec > 60 || sec == 60 && minute != 59:
		return bad("seconds out of range")
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nanos, time.FixedZone("", offset))
	ms := t.UnixMilli()
	if ms < minInstMillis {
		return bad("before year 1")
	}
	return value.InstMillis(ms), nil
}

// minInstMillis is 0001-01-01T00:00:00Z: earlier instants have no year our
// printer can write back.
var minInstMillis = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
