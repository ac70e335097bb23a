package model

import (
	"bytes"
	"strings"
	"testing"
)

func TestLoadNativeRefusesStaleCode(t *testing.T) {
	noop := func([]float64, *Kernel) {}
	_, err := LoadNative("m.toml", []byte(logistic), Native{Layout: "0", Init: noop, Flow: noop})
	if err == nil || !strings.Contains(err.Error(), "run stockflow gen again") {
		t.Errorf("got %v, want a stale-code error", err)
	}
}

func TestGenerateGo(t *testing.T) {
	m := mustParse(t, logistic)
	var b bytes.Buffer
	if err := m.GenerateGo(&b, "type", "m.toml", []byte(logistic)); err == nil {
		t.Error("a keyword was accepted as a package name")
	}
	if err := m.GenerateGo(&b, "logi", "m.toml", []byte(decay)); err == nil {
		t.Error("a source that is not the model's was accepted")
	}
	b.Reset()
	if err := m.GenerateGo(&b, "logi", "m.toml", []byte(logistic)); err != nil {
		t.Fatal(err)
	}
	code := b.String()
	for _, want := range []string{"package logi", "func flowCode(v []float64, k *model.Kernel)", m.prog.layout()} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
}
