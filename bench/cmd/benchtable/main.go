// Command benchtable runs stockflow's benchmark suite (package bench) in
// one process and prints the table of docs/performance.md: for each model
// and engine the time per run relative to the hand-written Go, the time
// per variable-step, allocations per run and the peak resident memory of a
// process that loads the model and runs it. With -sde it also runs
// SDEverywhere's JavaScript build of each model that has a .mdl (the large
// model and the models of bench/synth; bench/sde, installed by
// bench/run.sh), compares its outputs with stockflow's, and reports the
// ratios. Run it from the repository's root:
//
//	go run ./bench/cmd/benchtable [-sde] [-rounds 5] [-benchtime 0.5s] [-models REGEXP]
//
// Each engine of a model is timed by the CPU time its runs take, the
// engines taking turns for -rounds rounds; the table shows the fastest
// round of each, the figure least disturbed by other work on the machine.
// (go test -bench ./bench/ gives the same comparison in wall-clock time.)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/stockflow/stockflow/bench"
	"github.com/stockflow/stockflow/model"
)

func main() {
	sde := flag.Bool("sde", false, "also run SDEverywhere's JavaScript build of the models that have a .mdl (needs node and bench/sde/node_modules)")
	rounds := flag.Int("rounds", 5, "rounds of timing; the fastest counts")
	benchtime := flag.Duration("benchtime", 500*time.Millisecond, "time per engine per round")
	models := flag.String("models", "", "only the models whose names match this regular expression")
	child := flag.String("child", "", "internal: load MODEL/ENGINE and run it, for its peak memory")
	flag.Parse()
	if *child != "" {
		os.Exit(runChild(*child))
	}
	if err := run(*rounds, *benchtime, *models, *sde); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// result is one model × engine.
type result struct {
	model, engine string
	vars, steps   int
	nsPerRun      []float64 // one per round
	allocs, bytes int64
	peakRSSKB     int64
}

func (r *result) best() float64 {
	b := math.Inf(1)
	for _, x := range r.nsPerRun {
		b = math.Min(b, x)
	}
	return b
}

func run(rounds int, benchtime time.Duration, filter string, withSDE bool) error {
	re, err := regexp.Compile(filter)
	if err != nil {
		return err
	}
	fmt.Printf("machine: %d CPUs (%s), %s %s/%s, GOMAXPROCS %d\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	fmt.Printf("timing: CPU time (user + system) per run, %d rounds of %s per engine, fastest round shown; load average %s\n\n", rounds, benchtime, loadAvg())
	var all []*result
	var sdeRows []*sdeResult
	for _, c := range bench.Suite() {
		if !re.MatchString(c.Name) {
			continue
		}
		steps, err := c.Steps(".")
		if err != nil {
			return fmt.Errorf("%s: %v", c.Name, err)
		}
		var rs []*result
		var fns []func() error
		for _, e := range c.Engines() {
			f, vars, err := c.Runner(".", e)
			if err != nil {
				return fmt.Errorf("%s/%s: %v", c.Name, e, err)
			}
			rs = append(rs, &result{model: c.Name, engine: e, vars: vars, steps: steps + 1})
			fns = append(fns, f)
		}
		for range rounds {
			for i, f := range fns {
				ns, allocs, bytes, err := measure(f, benchtime)
				if err != nil {
					return fmt.Errorf("%s/%s: %v", c.Name, rs[i].engine, err)
				}
				rs[i].nsPerRun = append(rs[i].nsPerRun, ns)
				rs[i].allocs, rs[i].bytes = allocs, bytes
			}
		}
		for _, r := range rs {
			r.peakRSSKB = peakRSS(r.model + "/" + r.engine)
		}
		all = append(all, rs...)
		fmt.Fprintf(os.Stderr, "benchtable: %s done\n", c.Name)
		if c.MDL != "" && withSDE {
			r, err := runSDE(c, benchtime)
			if err != nil {
				return fmt.Errorf("%s: %v", c.Name, err)
			}
			sdeRows = append(sdeRows, r)
		}
	}
	printTable(all)
	printTargets(all, sdeRows)
	for _, r := range sdeRows {
		printSDE(r, all)
	}
	return nil
}

func printTable(all []*result) {
	fmt.Println("| model | variables × steps | engine | time per run ÷ by hand | ÷ interpreted | ns per variable-step | allocs per run | bytes per run | peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	find := func(model, engine string) *result {
		for _, r := range all {
			if r.model == model && r.engine == engine {
				return r
			}
		}
		return nil
	}
	for _, r := range all {
		hand, interp := "—", "—"
		if h := find(r.model, bench.ByHand); h != nil {
			hand = fmt.Sprintf("%.2f×", r.best()/h.best())
		}
		if i := find(r.model, bench.Interpreted); i != nil && r.engine != bench.Interpreted {
			interp = fmt.Sprintf("%.2f×", r.best()/i.best())
		}
		fmt.Printf("| %s | %d × %d | %s | %s | %s | %.2f | %d | %s | %s |\n", r.model, r.vars, r.steps, r.engine, hand, interp,
			r.best()/float64(r.vars*r.steps), r.allocs, size(r.bytes), size(r.peakRSSKB*1024))
	}
	fmt.Println()
}

// printTargets prints, for each model that has a hand-written version,
// the time per run of each engine beside SDEverywhere's, as multiples of
// the hand-written Go's (the stand-in for SDEverywhere's C, which is not
// in its npm packages), and, for a model recorded both ways ("world" and
// "world/all"), what recording every variable costs over recording few.
func printTargets(all []*result, sde []*sdeResult) {
	find := func(model, engine string) *result {
		for _, r := range all {
			if r.model == model && r.engine == engine {
				return r
			}
		}
		return nil
	}
	cell := func(ns, hand float64) string {
		if ns == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f µs (%.2f×)", ns/1e3, ns/hand)
	}
	fmt.Println("| model | steps × variables | by hand (≈ C) | SDEverywhere JS | interpreted | generated | SDEverywhere JS ÷ interpreted |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, h := range all {
		if h.engine != bench.ByHand {
			continue
		}
		var js, interp, gen float64
		for _, s := range sde {
			if s.model == h.model {
				js = s.CPUMsPerRunMin * 1e6
			}
		}
		if r := find(h.model, bench.Interpreted); r != nil {
			interp = r.best()
		}
		if r := find(h.model, bench.Generated); r != nil {
			gen = r.best()
		}
		ratio := "—"
		if js != 0 && interp != 0 {
			ratio = fmt.Sprintf("%.2f×", js/interp)
		}
		fmt.Printf("| %s | %d × %d | %.0f µs | %s | %s | %s | %s |\n", h.model, h.steps-1, h.vars, h.best()/1e3,
			cell(js, h.best()), cell(interp, h.best()), cell(gen, h.best()), ratio)
	}
	fmt.Println()
	first := true
	for _, r := range all {
		few, ok := strings.CutSuffix(r.model, "/all")
		f := find(few, r.engine)
		if !ok || f == nil {
			continue
		}
		if first {
			fmt.Println("| model | engine | recording every variable ÷ recording few |")
			fmt.Println("|---|---|---|")
			first = false
		}
		fmt.Printf("| %s | %s | %.2f× |\n", few, r.engine, r.best()/f.best())
	}
	if !first {
		fmt.Println()
	}
}

func size(b int64) string {
	switch {
	case b >= 10<<20:
		return fmt.Sprintf("%d MB", b>>20)
	case b >= 10<<10:
		return fmt.Sprintf("%d kB", b>>10)
	}
	return fmt.Sprintf("%d B", b)
}

// measure runs f for about benchtime, after one run to warm up, and
// returns the CPU time (user + system, of the whole process: the garbage
// collector counts) per run, and the allocations per run. CPU time rather
// than wall-clock time, so that other work on a shared machine disturbs
// the figures less.
func measure(f func() error, benchtime time.Duration) (ns float64, allocs, bytes int64, err error) {
	t0 := time.Now()
	if err := f(); err != nil {
		return 0, 0, 0, err
	}
	n := int(benchtime / max(time.Since(t0), time.Microsecond))
	n = max(1, min(n, 1_000_000))
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	c0 := cpuTime()
	for range n {
		if err := f(); err != nil {
			return 0, 0, 0, err
		}
	}
	c1 := cpuTime()
	runtime.ReadMemStats(&m1)
	return float64(c1-c0) / float64(n), int64(m1.Mallocs-m0.Mallocs) / int64(n), int64(m1.TotalAlloc-m0.TotalAlloc) / int64(n), nil
}

// cpuTime returns the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS runs this command again as a child that loads one model with
// one engine and runs it, and returns the child's peak resident memory.
func peakRSS(which string) int64 {
	self, err := os.Executable()
	if err != nil {
		return 0
	}
	cmd := exec.Command(self, "-child", which)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %s: %v\n", which, err)
		return 0
	}
	var kb int64
	fmt.Sscan(string(out), &kb)
	return kb
}

// vmHWM returns the process's peak resident memory in kilobytes, from
// /proc/self/status. (A child's rusage is no use here: Go starts children
// with vfork, and Linux carries the parent's peak over to the child.)
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(v, &kb)
			return kb
		}
	}
	return 0
}

// runChild loads model/engine, runs it 20 times and prints its peak
// resident memory in kilobytes.
func runChild(which string) int {
	i := strings.LastIndex(which, "/")
	name, engine := which[:i], which[i+1:]
	for _, c := range bench.Suite() {
		if c.Name != name {
			continue
		}
		f, _, err := c.Runner(".", engine)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for range 20 {
			if err := f(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		fmt.Println(vmHWM())
		return 0
	}
	fmt.Fprintf(os.Stderr, "no model %q\n", name)
	return 1
}

// sdeResult is what bench/sde/run.mjs reports.
type sdeResult struct {
	Node           string               `json:"node"`
	GenerateMs     float64              `json:"generateMs"`
	Runs           int                  `json:"runs"`
	MsPerRunMin    float64              `json:"msPerRunMin"`
	MsPerRunMedian float64              `json:"msPerRunMedian"`
	CPUMsPerRunMin float64              `json:"cpuMsPerRunMin"`
	MaxRSSKB       int64                `json:"maxRSSKB"`
	Series         map[string][]float64 `json:"series"`

	model      string  // the case's name
	maxRelDiff float64 // largest |sde − stockflow| / max(1, |stockflow|)
	worst      string
	compared   int     // values compared
	parseMs    float64 // stockflow's parse and compile
}

// runSDE runs the case's .mdl in node and compares its outputs with the
// interpreter's.
func runSDE(c bench.Case, benchtime time.Duration) (*sdeResult, error) {
	t0 := time.Now()
	m, err := model.Load(c.Path)
	if err != nil {
		return nil, err
	}
	parseMs := float64(time.Since(t0).Microseconds()) / 1000
	outputs := c.Outputs
	if outputs == nil {
		outputs = m.Names()
	}
	names := make([]string, len(outputs))
	for i, n := range outputs {
		names[i] = n
		if c.VensimName != nil {
			names[i] = c.VensimName(n)
		}
	}
	seconds := math.Max(1, 2*benchtime.Seconds())
	cmd := exec.Command("node", filepath.Join("bench", "sde", "run.mjs"), c.MDL,
		"--seconds", fmt.Sprint(seconds), "--outputs", strings.Join(names, ","))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("node bench/sde/run.mjs (install it with bench/run.sh): %v", err)
	}
	r := sdeResult{model: c.Name, parseMs: parseMs}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("bench/sde/run.mjs: %v", err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{Vars: outputs})
	if err != nil {
		return nil, err
	}
	for i, name := range outputs {
		got, want := r.Series[names[i]], res.Series(name)
		if len(got) != len(want) {
			return nil, fmt.Errorf("SDEverywhere gives %d values of %s, stockflow %d", len(got), name, len(want))
		}
		for k := range want {
			r.compared++
			d := math.Abs(got[k]-want[k]) / math.Max(1, math.Abs(want[k]))
			if math.IsNaN(got[k]) || d > r.maxRelDiff || r.worst == "" {
				r.maxRelDiff, r.worst = d, fmt.Sprintf("%s at t=%g: SDEverywhere %.17g, stockflow %.17g", name, res.Times[k], got[k], want[k])
			}
		}
	}
	return &r, nil
}

func printSDE(s *sdeResult, all []*result) {
	fmt.Printf("SDEverywhere (@sdeverywhere/compile 0.7.28, runtime 0.2.6, node %s), %s, %d runs in one process:\n\n", s.Node, s.model, s.Runs)
	fmt.Println("| engine | SDEverywhere JS time per run ÷ this engine's | peak RSS |")
	fmt.Println("|---|---|---|")
	for _, r := range all {
		if r.model == s.model {
			fmt.Printf("| stockflow %s | %.2f× | %s |\n", r.engine, s.CPUMsPerRunMin*1e6/r.best(), size(r.peakRSSKB*1024))
		}
	}
	fmt.Printf("| SDEverywhere JS | 1 | %s |\n\n", size(s.MaxRSSKB*1024))
	fmt.Printf("SDEverywhere's fastest batch: %.3g ms of CPU per run (wall clock: fastest %.3g ms, median %.3g ms); parse and generate %.0f ms (stockflow's parse and compile: %.0f ms).\n", s.CPUMsPerRunMin, s.MsPerRunMin, s.MsPerRunMedian, s.GenerateMs, s.parseMs)
	fmt.Printf("Outputs compared: %d values of %d variables; the largest difference, relative to max(1, |value|), is %.2g (%s).\n", s.compared, len(s.Series), s.maxRelDiff, s.worst)
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "model name") {
			if _, v, ok := strings.Cut(line, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return "unknown CPU"
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
