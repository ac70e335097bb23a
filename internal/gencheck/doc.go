// Package gencheck holds one test: every model of the conformance suite
// (testdata/test-models) that stockflow loads and runs is put through
// stockflow gen, and the generated Go must run it exactly as the
// interpreter does. The generated packages are written to a temporary
// module and built once, not kept in the repository.
package gencheck
