package sensitivity

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// TestMaxRuns checks a study of more than MaxRuns runs is refused before
// its sample plan is made: --samples 1000000000 ran out of memory making
// it.
func TestMaxRuns(t *testing.T) {
	m, err := model.Load("../examples/logistic/logistic.toml")
	if err != nil {
		t.Fatal(err)
	}
	// The logistic model varies three params: r, K and P0.
	for _, c := range []struct {
		opt     Options
		wantErr string
	}{
		{Options{Samples: 1_000_000_000}, "the study would make 1e+09 runs, more than the limit of 1000000"},
		{Options{Samples: 1 << 62, Method: Sobol}, "the study would make 2.306e+19 runs"},
		{Options{Method: Sobol, Samples: 200_001}, "the study would make 1e+06 runs"},
		{Options{Method: Morris, Samples: 250_001}, "the study would make 1e+06 runs"},
		{Options{Method: Sobol, Samples: 200_000}, ""},
	} {
		_, err := NewSpec(m, &c.opt)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%+v: %v", c.opt, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("%+v: error %v, want …%s…", c.opt, err, c.wantErr)
		}
	}
}
