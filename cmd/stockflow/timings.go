package main

import (
	"fmt"
	"io"
	"time"

	"github.com/stockflow/stockflow/model"
)

// timings collects the wall time of a command's stages for --timings: the
// stages of loading the model (model.Timings) and what the command does
// with it (run, write). A nil *timings records nothing.
type timings struct {
	start  time.Time
	stages []stage // in the order first recorded
}

// A stage is a named part of a command and the time spent in it.
type stage struct {
	name string
	d    time.Duration
}

// add adds d to the stage called name.
func (t *timings) add(name string, d time.Duration) {
	if t == nil {
		return
	}
	for i := range t.stages {
		if t.stages[i].name == name {
			t.stages[i].d += d
			return
		}
	}
	t.stages = append(t.stages, stage{name, d})
}

// time runs f and adds its wall time to the stage called name.
func (t *timings) time(name string, f func() error) error {
	t0 := time.Now()
	err := f()
	t.add(name, time.Since(t0))
	return err
}

// load adds the stages of a model's load.
func (t *timings) load(lt model.Timings) {
	t.add("read", lt.Read)
	t.add("parse", lt.Parse)
	t.add("expand", lt.Expand)
	t.add("check", lt.Check)
	t.add("compile", lt.Compile)
}

// print writes the stages to w, one a line in milliseconds, then what the
// command spent outside them and the total since t.start.
func (t *timings) print(w io.Writer, command string) {
	total := time.Since(t.start)
	rest := total
	fmt.Fprintf(w, "stockflow %s: timings (wall time; the process's start before the command is not included)\n", command)
	for _, s := range t.stages {
		fmt.Fprintf(w, "  %-8s %9.3f ms\n", s.name, ms(s.d))
		rest -= s.d
	}
	fmt.Fprintf(w, "  %-8s %9.3f ms\n", "other", ms(rest))
	fmt.Fprintf(w, "  %-8s %9.3f ms\n", "total", ms(total))
}

// ms returns d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
