package loops

import (
	"context"
	"testing"

	"github.com/stockflow/stockflow/model"
)

func TestZZStats(t *testing.T) {
	m, _ := model.Parse("bench.toml", []byte(benchModel(benchN)))
	res, _ := m.Run(context.Background(), model.RunOptions{Trace: true})
	l := Find(NewGraph(m), Options{})
	tot := 0
	for _, lp := range l.Loops {
		tot += lp.Len()
	}
	t.Logf("nodes %d edges %d loops %d avglen %.1f parts %d points %d", len(l.Graph.Nodes), len(l.Graph.Edges), len(l.Loops), float64(tot)/float64(len(l.Loops)), len(l.Partitions), res.Trace().Len())
	d, _ := Analyze(l, res.Trace())
	tot = 0
	for _, lp := range d.Loops[len(l.Loops):] {
		tot += lp.Len()
	}
	t.Logf("discovered %d avglen %.1f periods %d", len(d.Loops)-len(l.Loops), float64(tot)/float64(len(d.Loops)-len(l.Loops)), len(d.Periods))
}

func TestZZStats2(t *testing.T) {
	m, _ := model.Parse("bench.toml", []byte(benchModel(benchN)))
	res, _ := m.Run(context.Background(), model.RunOptions{Trace: true})
	l := Find(NewGraph(m), Options{})
	d, _ := Analyze(l, res.Trace())
	tot, mx := 0, 0
	for _, p := range d.Periods {
		tot += len(p.Loops)
		mx = max(mx, len(p.Loops))
	}
	t.Logf("periods %d avg ids %.1f max %d", len(d.Periods), float64(tot)/float64(len(d.Periods)), mx)
	for _, p := range d.Periods[:5] {
		t.Log(p.Start, p.End, p.Polarity, len(p.Loops), p.Share)
	}
	// trie size
	type key struct{ parent, edge int }
	trie := map[key]int{}
	for _, lp := range d.Loops {
		cur := -1
		for _, e := range lp.edges {
			k := key{cur, e}
			nx, ok := trie[k]
			if !ok {
				nx = len(trie)
				trie[k] = nx
			}
			cur = nx
		}
	}
	tot = 0
	for _, lp := range d.Loops {
		tot += lp.Len()
	}
	t.Logf("total links %d trie nodes %d", tot, len(trie))
}
