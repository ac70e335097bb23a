package vensim_test

import (
	"context"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// A comment may hold another comment: the equation resumes after the
// brace that closes the outer one, not after the first closing brace.
func TestNestedComments(t *testing.T) {
	src := `{ a model { with a nested } comment } Rate = 2 ~ 1/Month ~ | 
Stock = INTEG(Rate { the inflow { nested } }, 1) ~ widgets ~ |
INITIAL TIME = 0 ~ ~ |
FINAL TIME = 3 ~ ~ |
TIME STEP = 1 ~ ~ |
SAVEPER = TIME STEP ~ ~ |
`
	m, err := model.Parse("nested.mdl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), model.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Series("Stock")
	for i, want := range []float64{1, 3, 5, 7} {
		if got[i] != want {
			t.Errorf("Stock at %v = %v, want %v", res.Times[i], got[i], want)
		}
	}
}
