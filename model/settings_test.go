package model

import (
	"context"
	"strings"
	"testing"
)

// TestTimeBelowResolutionRefused checks that a dt float64 cannot resolve
// at the run's times is refused at the dt, before any run repeats a time.
func TestTimeBelowResolutionRefused(t *testing.T) {
	src := "[sim]\nstart = 1e17\nstop = 1.00000000000001e17\ndt = 1\n[aux.a]\neq = \"time\"\n"
	_, err := Parse("m.toml", []byte(src))
	want := "m.toml:4:6: sim.dt: dt (1) is below the resolution of time near 1.00000000000001e+17, where float64 numbers are 16 apart"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %s…", err, want)
	}
	// The same through run options.
	m := mustParse(t, "[sim]\nstop = 10\n[aux.a]\neq = \"time\"\n")
	_, err = m.Run(context.Background(), RunOptions{Start: 1e17, Stop: 1e17 + 1024})
	if err == nil || !strings.Contains(err.Error(), "below the resolution of time") {
		t.Errorf("run from 1e17 in steps of 1: got %v, want a resolution error", err)
	}
	// A dt a thousand times the spacing runs, every time distinct.
	r := mustRun(t, m, RunOptions{Start: 1e17, Stop: 1e17 + 16000*4, DT: 16000})
	for i := 1; i < len(r.Times); i++ {
		if r.Times[i]-r.Times[i-1] != 16000 {
			t.Errorf("times %v and %v are not 16000 apart", r.Times[i-1], r.Times[i])
		}
	}
}

// TestStopOffTheGridWarns checks that a stop the last save point falls
// short of is said: as a positioned warning when the model is compiled,
// and in the result of a run.
func TestStopOffTheGridWarns(t *testing.T) {
	for _, c := range []struct{ sim, opt, want string }{
		{"stop = 10\ndt = 3", "", "test.toml:2:8: sim.stop: stop (10) is not start (0) plus a whole number of dt (3): the run ends at 9, not at stop"},
		{"stop = 10\nsave_every = 4", "", "test.toml:2:8: sim.stop: stop (10) is not start (0) plus a whole number of save_every (4): the run ends at 8, not at stop"},
		{"stop = 9\ndt = 3", "", ""},
		{"stop = 1\ndt = 0.1", "", ""}, // 10 steps of 0.1, whatever the rounding
	} {
		m := mustParse(t, "[sim]\n"+c.sim+"\n[aux.a]\neq = \"time\"\n")
		var got []string
		for _, w := range m.Source.Warnings {
			got = append(got, w.Error())
		}
		if strings.Join(got, "\n") != c.want {
			t.Errorf("%q: warnings %q, want %q", c.sim, got, c.want)
		}
		r := mustRun(t, m, RunOptions{})
		wantRun := ""
		if _, msg, ok := strings.Cut(c.want, "sim.stop: "); ok {
			wantRun = msg
		}
		if g := strings.Join(r.Warnings, "\n"); g != wantRun {
			t.Errorf("%q: run warnings %q, want %q", c.sim, g, wantRun)
		}
	}
	// A run option can put stop off the grid too.
	m := mustParse(t, "[sim]\nstop = 10\n[aux.a]\neq = \"time\"\n")
	r := mustRun(t, m, RunOptions{Stop: 10, DT: 4})
	if want := "stop (10) is not start (0) plus a whole number of dt (4): the run ends at 8, not at stop"; len(r.Warnings) != 1 || r.Warnings[0] != want {
		t.Errorf("--dt 4: run warnings %q, want %q", r.Warnings, want)
	}
}

// TestRK45TolerancesRefused checks that run options cannot give rk45 a
// tolerance outside the range the [sim] table accepts.
func TestRK45TolerancesRefused(t *testing.T) {
	m := mustParse(t, logistic)
	for _, c := range []struct {
		opt  RunOptions
		want string
	}{
		{RunOptions{Method: "rk45", RelTol: 1e300}, "rel_tol must be from 1e-14 to 0.1, got 1e+300"},
		{RunOptions{Method: "rk45", RelTol: 1e-20}, "rel_tol must be from 1e-14 to 0.1, got 1e-20"},
		{RunOptions{Method: "rk45", AbsTol: 1e300}, "abs_tol must be greater than 0 and at most 1"},
		{RunOptions{Method: "rk45", AbsTol: -1}, "abs_tol must be greater than 0 and at most 1"},
	} {
		_, err := m.Run(context.Background(), c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %s", c.opt, err, c.want)
		}
	}
	if _, err := m.Run(context.Background(), RunOptions{Method: "rk45", RelTol: 0.1, AbsTol: 1}); err != nil {
		t.Errorf("the loosest tolerances allowed: %v", err)
	}
}
