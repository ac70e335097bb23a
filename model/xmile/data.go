package xmile

import (
	"errors"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stockflow/stockflow/model/decl"
)

// resourcePrefix is the prefix Stella writes before a resource's path:
// r (relative to the model) or a (absolute), perhaps with a number, and
// a colon: "r1:sales.csv".
var resourcePrefix = regexp.MustCompile(`^([rRaA])[0-9]*:`)

// dataImports reads the <data><import>s, the data a model imports at run
// time (Stella's links to CSV and Excel files). An import whose file lies
// beside the model (in its directory tree) is read for its header: each
// column named as a flow or aux of the main model makes that variable a
// data variable reading the column ([data.NAME] with file, column and,
// for a workbook, sheet; linear between the points, as Stella's imported
// graphical functions of time are), which decl.ReadData then reads. The
// first column holds the times and must be headed "time" (any case). An
// import whose file is missing or lies outside the model's tree, is
// disabled, or is horizontal, is a warning: the variables keep the values
// saved in the model.
func (r *reader) dataImports(n *node) {
	if n == nil {
		return
	}
	for _, c := range n.children {
		if c.prefix != "" || c.name != "import" {
			continue
		}
		res, _ := c.attr("resource")
		keep := "the variables keep the values saved in the model"
		if en, _ := c.attr("enabled"); strings.EqualFold(strings.TrimSpace(en), "false") {
			r.warnf(c.start, "data", "the data import from %q is disabled (enabled=\"false\"): not read; %s", res, keep)
			continue
		}
		if o, _ := c.attr("orientation"); strings.EqualFold(strings.TrimSpace(o), "horizontal") {
			r.warnf(c.start, "data", "the data import from %q is horizontal (times across a row): not read; %s; save the data with the times down the first column", res, keep)
			continue
		}
		m := resourcePrefix.FindStringSubmatch(res)
		rel := strings.TrimSpace(resourcePrefix.ReplaceAllString(res, ""))
		if (m != nil && strings.EqualFold(m[1], "a") && !r.opt.AllowPaths) || rel == "" {
			r.warnf(c.start, "data", "the data import from %q is not read: its path is absolute (or empty); %s; put the file beside the model and name it relative to the model", res, keep)
			continue
		}
		rel = filepath.FromSlash(strings.ReplaceAll(rel, `\`, "/"))
		path, err := decl.DataPath(r.doc.file, rel, r.opt.AllowPaths)
		if err != nil {
			r.warnf(c.start, "data", "the data import from %q is not read: %v; %s", res, err, keep)
			continue
		}
		src, err := decl.ReadFile(path, r.opt.MaxInputSize)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			r.errorf(c.start, "data", "the data import from %q cannot be read: %v", res, err)
			continue
		}
		if err != nil {
			r.warnf(c.start, "data", "the data import from %q is not read: no file %s beside the model; %s (to use the data, put the file there, or convert the model to TOML and give it as a [data.NAME] table, docs/data.md)", res, path, keep)
			continue
		}
		sheet, _ := c.attr("worksheet")
		if !decl.IsWorkbook(path) {
			sheet = ""
		}
		var t *decl.Table
		var errs []error
		if decl.IsWorkbook(path) {
			tt, terrs := decl.ReadSheet(path, src, sheet, "time", nil)
			t = tt
			for _, e := range terrs {
				errs = append(errs, e)
			}
		} else {
			tt, terrs := decl.ReadTable(path, src, "time", nil)
			t = tt
			for _, e := range terrs {
				errs = append(errs, e)
			}
		}
		if len(errs) > 0 {
			r.errorf(c.start, "data", "the data import from %q: %v", res, errs[0])
			continue
		}
		for _, col := range t.Names {
			x, ok := r.root.vars[key(col)]
			switch {
			case !ok || x.tag == "gf":
				r.warnf(c.start, "data", "the data import from %q: column %q names no flow or aux of the model; not read", res, col)
				continue
			case x.tag == "stock" || x.conn != nil || x.conveyor != nil || x.n.child("dimensions") != nil:
				r.warnf(c.start, "data", "the data import from %q: column %q names %s %q, which stockflow cannot give a series (only a scalar flow or aux can); not read", res, col, x.tag, x.raw)
				continue
			case x.data != nil:
				r.errorf(c.start, "data", "the data import from %q: %q is given by two imports", res, x.raw)
				continue
			}
			x.data = &decl.DataSource{File: filepath.ToSlash(rel), Sheet: sheet, Column: col}
			x.dataPos = r.pos(c.start)
		}
	}
}
