package decl

import (
	"bytes"
	"strings"
	"testing"
)

func TestDistBadInput(t *testing.T) {
	cases := []struct {
		name      string
		src       string
		line, col int
		key       string
		msg       string
	}{
		{"unknown dist", "[params]\nr = { value = 1, min = 0, max = 2, dist = \"normall\" }\n", 2, 43, "params.r.dist", `unknown distribution "normall" (did you mean "normal"?)`},
		{"unknown dist far", "[params]\nr = { value = 1, min = 0, max = 2, dist = \"beta\" }\n", 2, 43, "params.r.dist", "want uniform, triangular, normal or lognormal"},
		{"dist not a string", "[params]\nr = { value = 1, min = 0, max = 2, dist = 3 }\n", 2, 43, "params.r.dist", "expected a string"},
		{"uniform without max", "[params]\nr = { value = 1, min = 0, dist = \"uniform\" }\n", 2, 34, "params.r.dist", "a uniform distribution needs both min and max"},
		{"triangular without range", "[params.r]\nvalue = 1\ndist = \"triangular\"\n", 3, 8, "params.r.dist", "a triangular distribution needs both min and max"},
		{"mode outside range", "[params.r]\nvalue = 1\nmin = 0\nmax = 2\ndist = \"triangular\"\nmode = 3\n", 6, 8, "params.r.mode", "the mode 3 is outside the range [0, 2]"},
		{"mode without dist", "[params.r]\nvalue = 1\nmin = 0\nmax = 2\nmode = 1\n", 5, 1, "params.r.mode", `mode is a parameter of a distribution: add dist = "triangular"`},
		{"sd with uniform", "[params.r]\nvalue = 1\nmin = 0\nmax = 2\ndist = \"uniform\"\nsd = 1\n", 6, 1, "params.r.sd", `a uniform distribution has no sd (sd belongs to dist = "normal" or "lognormal")`},
		{"mean with triangular", "[params.r]\nvalue = 1\nmin = 0\nmax = 2\ndist = \"triangular\"\nmean = 1\n", 6, 1, "params.r.mean", "a triangular distribution has no mean"},
		{"normal without sd", "[params.r]\nvalue = 1\ndist = \"normal\"\n", 3, 8, "params.r.dist", "a normal distribution needs sd, its standard deviation"},
		{"sd zero", "[params.r]\nvalue = 1\ndist = \"normal\"\nsd = 0\n", 4, 6, "params.r.sd", "sd must be positive, got 0"},
		{"sd a string", "[params.r]\nvalue = 1\ndist = \"normal\"\nsd = \"1\"\n", 4, 6, "params.r.sd", "write the number without quotes"},
		{"lognormal mean negative", "[params.r]\nvalue = 1\ndist = \"lognormal\"\nmean = -1\nsd = 1\n", 4, 8, "params.r.mean", "a lognormal distribution needs a positive mean, got -1"},
		{"lognormal mean from value", "[params.r]\nvalue = 0\ndist = \"lognormal\"\nsd = 1\n", 2, 9, "params.r.value", "a lognormal distribution needs a positive mean, got 0"},
		{"lognormal negative min", "[params.r]\nvalue = 1\nmin = -1\nmax = 2\ndist = \"lognormal\"\nsd = 1\n", 3, 7, "params.r.min", "min must not be negative"},
		{"normal far from range", "[params.r]\nvalue = 100\nmin = 100\nmax = 101\ndist = \"normal\"\nmean = 0\nsd = 1\n", 5, 8, "params.r.dist", "puts no probability in [100, 101]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkOneError(t, tc.src, tc.line, tc.col, tc.key, tc.msg) })
	}
}

func TestDistRead(t *testing.T) {
	src := `[params]
a = { value = 1, min = 0, max = 2 }
b = { value = 1, min = 0, max = 2, dist = "triangular", mode = 0.5 }
c = { value = 3, dist = "normal", sd = 0.5, min = 0 }
d = { value = 2, dist = "lognormal", mean = 2.5, sd = 1, max = 10 }
e = { value = 1, min = 0, max = 2, dist = "triangular" }
`
	m, err := ParseTOML("ok.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := distSummary(m)
	want := "a  - - - | b triangular 0.5 - - | c normal - - 0.5 | d lognormal - 2.5 1 | e triangular - - - | "
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Written back as TOML, the distributions read the same.
	var buf bytes.Buffer
	if err := WriteTOML(&buf, m); err != nil {
		t.Fatal(err)
	}
	m2, err := ParseTOML("out.toml", buf.Bytes())
	if err != nil {
		t.Fatalf("written TOML does not read: %v\n%s", err, buf.String())
	}
	if got2 := distSummary(m2); got2 != want {
		t.Errorf("written and read back: got %s\nwant %s\n%s", got2, want, buf.String())
	}
}

func distSummary(m *Model) string {
	var b strings.Builder
	for _, v := range m.Vars {
		b.WriteString(v.Name + " " + v.Dist + " " + reflectString(v.Mode) + " " + reflectString(v.Mean) + " " + reflectString(v.SD) + " | ")
	}
	return b.String()
}
