package loops

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stockflow/stockflow/model"
)

// benchModel generates a model of n stocks, n flows and n aux (3n
// variables) with dense feedback: each stock's net flow depends on its own
// aux and on the aux of four other stocks spread around the model.
func benchModel(n int) string {
	var b strings.Builder
	b.WriteString("[sim]\nstop = 50\ndt = 0.25\nmethod = \"euler\"\n")
	for i := range n {
		fmt.Fprintf(&b, "[stocks.s%d]\ninitial = %d\ninflows = [\"f%d\"]\n", i, 10+i%7, i)
		fmt.Fprintf(&b, "[aux.a%d]\neq = \"s%d / (1 + 0.01 * s%d)\"\n", i, i, i)
		terms := []string{fmt.Sprintf("0.05 * a%d", i)}
		for _, k := range []int{1, 3, 7, 17} {
			terms = append(terms, fmt.Sprintf("0.01 * a%d", (i+k*(1+i%3))%n))
		}
		fmt.Fprintf(&b, "[flows.f%d]\neq = \"%s - 0.06 * s%d\"\n", i, strings.Join(terms, " + "), i)
	}
	return b.String()
}

const benchN = 100 // 300 variables

func benchSetup(b *testing.B) (*model.Model, *model.Trace) {
	m, err := model.Parse("bench.toml", []byte(benchModel(benchN)))
	if err != nil {
		b.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{Trace: true})
	if err != nil {
		b.Fatal(err)
	}
	return m, res.Trace()
}

// BenchmarkRun is the run itself, for comparison: 200 Euler steps of the
// 300-variable model, each saved.
func BenchmarkRun(b *testing.B) {
	m, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Run(context.Background(), model.RunOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunTrace is the run with the trace that dominance needs.
func BenchmarkRunTrace(b *testing.B) {
	m, _ := benchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Run(context.Background(), model.RunOptions{Trace: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// vsRun runs f in the benchmark loop, and before each call, with the
// timer stopped, the run with the trace that dominance needs; it reports
// the run's time (run-ns/op) and f's as a multiple of it (x-run). The two
// alternate, so that a busy machine slows both alike.
func vsRun(b *testing.B, m *model.Model, f func()) {
	vsRunWith(b, m, model.RunOptions{Trace: true}, f)
}

// vsRunWith is vsRun against the run with options opt. Besides the wall
// times it reports the ratio of the CPU times the process spent (all
// threads; x-run-cpu, where the system can tell): on a shared machine a
// run of a few milliseconds is often descheduled, which swings the wall
// ratio two- to fourfold from one measurement to the next, while the CPU
// ratio stays within about 10 %.
func vsRunWith(b *testing.B, m *model.Model, opt model.RunOptions, f func()) {
	b.ReportAllocs()
	var run, work, runCPU, workCPU time.Duration
	for b.Loop() {
		b.StopTimer()
		t0, c0 := time.Now(), processCPU()
		if _, err := m.Run(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), processCPU()
		run += t1.Sub(t0)
		runCPU += c1 - c0
		b.StartTimer()
		f()
		work += time.Since(t1)
		workCPU += processCPU() - c1
	}
	b.ReportMetric(float64(run.Nanoseconds())/float64(b.N), "run-ns/op")
	b.ReportMetric(float64(work)/float64(run), "x-run")
	if runCPU > 0 {
		b.ReportMetric(float64(workCPU)/float64(runCPU), "x-run-cpu")
	}
}

// BenchmarkFind enumerates the loops up to the default bound.
func BenchmarkFind(b *testing.B) {
	m, _ := benchSetup(b)
	vsRun(b, m, func() {
		l := Find(NewGraph(m), Options{})
		if !l.Truncated {
			b.Fatal("the bench model's loops were all listed; make it denser")
		}
	})
}

// BenchmarkAnalyze is dominance on a truncated list: link scores, loop
// scores, the strongest-path search at every save point, periods.
func BenchmarkAnalyze(b *testing.B) {
	m, tr := benchSetup(b)
	l := Find(NewGraph(m), Options{})
	vsRun(b, m, func() {
		if _, err := Analyze(l, tr, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkAnalyzeListed is dominance on the listed loops only (a list
// that is complete needs no search).
func BenchmarkAnalyzeListed(b *testing.B) {
	m, tr := benchSetup(b)
	l := Find(NewGraph(m), Options{})
	l.Truncated = false
	vsRun(b, m, func() {
		if _, err := Analyze(l, tr, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkEmergenceCorridor is the Middle Corridor's whole emergence
// analysis — the run every dt with its trace, the loops, continuous
// scores, dominance, stability and the explanation of the crossing —
// against the plain run of the model as its file says (rk4, dt 1/16,
// saved every 0.25).
func BenchmarkEmergenceCorridor(b *testing.B) {
	m, err := model.Load("../examples/middle-corridor/corridor.toml")
	if err != nil {
		b.Fatal(err)
	}
	vsRunWith(b, m, model.RunOptions{}, func() {
		if _, err := AnalyzeEmergence(context.Background(), m, model.RunOptions{}, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkScoreLinks compares the two score methods on the dense bench
// model's listed loops: continuous (partial derivatives by central
// differences) and discrete (one input moved between save points).
func BenchmarkScoreLinks(b *testing.B) {
	m, tr := benchSetup(b)
	l := Find(NewGraph(m), Options{})
	for _, method := range []ScoreMethod{Continuous, Discrete} {
		b.Run(string(method), func(b *testing.B) {
			vsRun(b, m, func() {
				if _, err := ScoreLinks(l, tr, method); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
