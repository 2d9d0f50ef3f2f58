package tracking

import "testing"

func TestEnumParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		e    Enum
		in   string
		want string
		ok   bool
	}{
		{Levels, "county", "county", true},
		{Levels, " County ", "county", true},
		{Levels, "区县级", "county", true},
		{Levels, "县级", "county", true},
		{Levels, "区级", "county", true},
		{DestinationTypes, "强基计划", "talent_program", true},
		{DestinationTypes, "英才计划", "yingcai", true},
		{Outcomes, "OPTED_OUT", "opted_out", true},
		{Channels, "微信", "wechat", true},
		{Levels, "省", "", false},
		{Channels, "", "", false},
	}
	for _, c := range cases {
		got, ok := c.e.Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if x := Levels.Extras("county"); len(x) != 2 {
		t.Errorf("Extras(county) = %v", x)
	}
}
