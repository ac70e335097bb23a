package model

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stockflow/stockflow/model/decl"
	"github.com/stockflow/stockflow/model/internal/compile"
	"github.com/stockflow/stockflow/model/internal/vm"
	"github.com/stockflow/stockflow/model/syntax"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/model/xmile"
)

// Model is a compiled model: immutable after Load, Parse or Compile, and
// safe to Run from many goroutines at once. Each Run keeps its own state.
type Model struct {
	// Decl is the declaration the model was compiled from, with its arrays
	// expanded to scalars (decl.Expand): an arrayed variable x appears as
	// one variable per element, x[e1] or x[e1,e2], which are the names of
	// its output columns. For a model without arrays it is the declaration
	// as read. Treat it as read-only.
	Decl *decl.Model

	// Source is the declaration as the file gave it, before expansion:
	// with its dimensions and arrayed variables. For a model without
	// arrays it is the same as Decl. Treat it as read-only.
	Source *decl.Model

	prog   *vm.Program
	native *Native // generated code, when the model was loaded with LoadNative

	// The outputs of a run that names none, and the position of each,
	// made by the first such run.
	allOnce  sync.Once
	allNames []string
	allIndex map[string]int
	allSlots []int32   // their slots
	allRows  rowLayout // how a run copies them into its Result
	allNeed  []vm.Need // what the flow code must compute for them (Program.Needs)

	// The plans of runs before, by their outputs, settings and method:
	// at most maxPlans.
	planMu sync.Mutex
	plans  map[string]*outPlan
}

// Load reads and compiles the model file at path. The reader is chosen by
// the file's extension: .toml is stockflow's own format. A file larger
// than decl.DefaultMaxInputSize (64 MiB) is refused; LoadWith sets another
// limit.
func Load(path string) (*Model, error) {
	return LoadWith(path, LoadOptions{})
}

// LoadOptions adjusts LoadWith. The zero value loads as Load does.
type LoadOptions struct {
	// MaxInputSize bounds the size of the file in bytes. Zero means
	// decl.DefaultMaxInputSize (64 MiB); a negative value means no bound.
	MaxInputSize int64

	// AllowPaths lets data variables read files outside the model file's
	// directory tree (decl.DataOptions.AllowPaths); by default that is an
	// error.
	AllowPaths bool

	// DataFiles are data files (CSV, TSV, Excel or Vensim .dat) that a
	// Vensim model's data variables without an equation read their values
	// from, as Vensim's data sets do (decl.DataOptions.DataFiles): the CLI's
	// --data-file. Paths are relative to the working directory. Only a
	// Vensim model takes them; for another model they are an error.
	DataFiles []string

	// Timings, when not nil, receives the wall time of each stage of the
	// load: what stockflow's --timings prints.
	Timings *Timings
}

// LoadWith reads and compiles the model file at path, as Load does, with
// the given options.
func LoadWith(path string, opt LoadOptions) (*Model, error) {
	t := opt.Timings
	if t == nil {
		t = new(Timings) // recorded and dropped: a clock reading costs nanoseconds
	}
	t0 := time.Now()
	src, err := decl.ReadFile(path, opt.MaxInputSize)
	if err != nil {
		return nil, err
	}
	t.Read = time.Since(t0)
	return parse(path, src, decl.DataOptions{AllowPaths: opt.AllowPaths, MaxInputSize: opt.MaxInputSize, DataFiles: opt.DataFiles}, t)
}

// Parse compiles a model from the source text of a file; filename is used
// in error messages and to choose the reader by its extension (a name
// without a known extension is read as TOML).
//
// Errors come as a syntax.ErrorList holding every problem found, each
// naming file, line, column and key.
//
// Data variables read their files relative to filename's directory, which
// they may not leave (decl.DataOptions); LoadWith can allow it.
func Parse(filename string, src []byte) (*Model, error) {
	return parse(filename, src, decl.DataOptions{}, new(Timings))
}

// parse reads and compiles a model, recording each stage's time in t.
func parse(filename string, src []byte, dopt decl.DataOptions, t *Timings) (*Model, error) {
	var d *decl.Model
	var err error
	t0 := time.Now()
	ext := strings.ToLower(filepath.Ext(filename))
	if len(dopt.DataFiles) > 0 && ext != ".mdl" {
		return nil, fmt.Errorf("%s: data files (--data-file %s) are read by a Vensim model's data variables that have no equation; this model is not a Vensim model (.mdl): declare its data variables with a file instead (see docs/data.md)", filename, dopt.DataFiles[0])
	}
	switch ext {
	case ".toml", "":
		d, err = decl.ParseTOML(filename, src)
	case ".xmile", ".stmx", ".xml":
		d, err = xmile.ParseWith(filename, src, dopt)
	case ".mdl":
		d, err = vensim.ParseWith(filename, src, dopt)
	default:
		return nil, fmt.Errorf("%s: unknown model format %q (stockflow reads .toml, .xmile, .stmx, .xml and .mdl models)", filename, ext)
	}
	if err != nil {
		// A declaration with errors is still compiled, when the reader
		// could make one, so that the user sees every problem at once.
		var list syntax.ErrorList
		if d != nil && errors.As(err, &list) {
			ed, xerr := decl.Expand(d)
			var more syntax.ErrorList
			if xerr != nil {
				errors.As(xerr, &more)
			} else {
				_, more = compile.Compile(ed, true)
			}
			if len(more) > 0 {
				list = append(append(syntax.ErrorList(nil), list...), more...)
				list.RemoveDuplicates()
				return nil, list
			}
		}
		return nil, err
	}
	if err := decl.ReadData(d, dopt); err != nil {
		return nil, err
	}
	t.Parse = time.Since(t0)
	return compileTimed(d, t)
}

// Compile compiles a declared model. It expands its arrays to scalars
// (decl.Expand), checks every equation (unknown names and functions, wrong
// argument counts, algebraic loops, circular initial values, and, under
// [sim] units = "strict", units: see Model.Units) and reports all problems
// as a syntax.ErrorList.
func Compile(d *decl.Model) (*Model, error) {
	return compileTimed(d, new(Timings))
}

// compileTimed is Compile, recording the time of its stages in t.
func compileTimed(d *decl.Model, t *Timings) (*Model, error) {
	src := d
	t0 := time.Now()
	d, err := decl.Expand(d)
	if err != nil {
		return nil, err
	}
	t.Expand = time.Since(t0)
	var ct compile.Durations
	p, errs := compile.CompileTimed(d, false, &ct)
	t1 := time.Now()
	simErrs, warns := checkSim(d)
	errs = append(errs, simErrs...)
	errs = append(errs, strictUnits(src)...)
	t.Check, t.Compile = ct.Check+time.Since(t1), ct.Generate
	if len(errs) > 0 {
		errs.RemoveDuplicates()
		return nil, errs
	}
	if len(warns) > 0 {
		// The caller's declaration is left as it was.
		s := *src
		s.Warnings = append(slices.Clip(src.Warnings), warns...)
		src = &s
	}
	return &Model{Decl: d, Source: src, prog: p}, nil
}

// checkSim checks the time settings every reader gives: a dt that the
// times of the run can resolve, and a stop the last save point reaches
// (a warning when it does not).
func checkSim(d *decl.Model) (errs syntax.ErrorList, warns []*syntax.Error) {
	s := d.Sim
	at := func(keys ...string) syntax.Pos {
		for _, k := range keys {
			if p, ok := s.Pos[k]; ok {
				return p
			}
		}
		return syntax.Pos{File: d.File}
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if !finite(s.Start) || !finite(s.Stop) || !(s.DT > 0 && finite(s.DT)) || !(s.Stop > s.Start) {
		return nil, nil // the readers report these
	}
	if msg := decl.CheckTimeResolution(s.Start, s.Stop, s.DT); msg != "" {
		errs.Addf(at("dt", "start", "stop"), "sim.dt", "%s", msg)
		return errs, nil
	}
	save := s.SaveEvery
	if save == 0 {
		save = s.DT
	}
	if msg := decl.EndsEarly(s.Start, s.Stop, s.DT, save); msg != "" {
		warns = append(warns, &syntax.Error{Pos: at("stop", "dt", "start"), Key: "sim.stop", Msg: msg})
	}
	return nil, warns
}

// Names returns the names of the model's stocks, flows, aux and data in
// declaration order: the default output columns.
func (m *Model) Names() []string {
	var names []string
	for _, v := range m.Decl.Vars {
		switch v.Kind {
		case decl.Stock, decl.Flow, decl.Aux, decl.Data:
			names = append(names, v.Name)
		}
	}
	return names
}

// Params returns the model's params and their default values in
// declaration order.
func (m *Model) Params() []Param {
	var ps []Param
	for _, v := range m.Decl.Vars {
		if v.Kind == decl.Param {
			ps = append(ps, Param{Name: v.Name, Value: v.Value, Units: v.Units, Doc: v.Doc, Min: v.Min, Max: v.Max})
		}
	}
	return ps
}

// Param describes a model parameter.
type Param struct {
	Name     string
	Value    float64 // default value
	Units    string
	Doc      string
	Min, Max *float64 // declared range, if any
}

func suggest(name string, candidates []string) string { return syntax.Suggest(name, candidates) }
