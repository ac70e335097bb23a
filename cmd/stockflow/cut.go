package main

import (
	"flag"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/decl"
)

// cutFlag is the value of the repeatable --cut FROM->TO flag.
type cutFlag []decl.Link

// String returns the links as "a->b,c->d".
func (c *cutFlag) String() string {
	if c == nil {
		return ""
	}
	s := make([]string, len(*c))
	for i, l := range *c {
		s[i] = l.String()
	}
	return strings.Join(s, ",")
}

// Set parses one FROM->TO.
func (c *cutFlag) Set(arg string) error {
	l, err := decl.ParseLink(arg)
	if err != nil {
		return err
	}
	*c = append(*c, l)
	return nil
}

// cutFlags defines --cut on fs for the run flags f.
func cutFlags(fs *flag.FlagSet, f *runFlags) {
	fs.Var(&f.cuts, "cut", "cut the link `FROM->TO`: TO reads FROM's value at the start time (repeatable; loop knockout, see docs/testing.md)")
}

// cutModel returns m with the --cut links cut (decl.Cut), or m itself
// when there are none. A link the model does not have is a usage error.
func (f *runFlags) cutModel(m *model.Model) (*model.Model, error) {
	if len(f.cuts) == 0 {
		return m, nil
	}
	d, err := decl.Cut(m.Source, f.cuts...)
	if err != nil {
		return nil, usagef("--%v", err)
	}
	return model.Compile(d)
}
