package syntax

// An equation's nodes carry byte offsets into the equation text, counted
// from 0. The model loader turns an offset into a file position (see
// decl.Equation.PosAt), so that the syntax package needs to know nothing of
// files.

// Node is an element of an equation's syntax tree.
type Node interface {
	// Start returns the offset of the node's first byte.
	Start() int
	// End returns the offset just past the node's last byte.
	End() int
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Num is a number literal such as 3, .5 or 1e-3.
type Num struct {
	At    int     // offset of the first byte
	Text  string  // the literal as written
	Value float64 // its value
}

// Ident is a name: a variable, a parameter, a lookup, or a function's
// name in a Call.
type Ident struct {
	At   int
	Name string // as written
}

// Unary is a prefix operation: -X, +X or not X.
type Unary struct {
	At int   // offset of the operator
	Op Token // SUB, ADD or NOT
	X  Expr
}

// Binary is an infix operation X op Y.
type Binary struct {
	X    Expr
	Op   Token // ADD, SUB, MUL, QUO, POW, MOD, EQL, NEQ, LSS, LEQ, GTR, GEQ, AND, OR
	OpAt int   // offset of the operator
	Y    Expr
}

// Paren is an expression in parentheses. The parser keeps it so that the
// printer and positions reflect what was written.
type Paren struct {
	Lparen int
	X      Expr
	Rparen int
}

// Call is a function call f(args...). Fn.Name is the function's name as
// written; builtins are matched without regard to case.
type Call struct {
	Fn     *Ident
	Args   []Expr
	Rparen int
}

// Index is an element reference x[a, b] into an arrayed variable. A
// subscript written as the wildcard * (all elements of that dimension,
// x[*] or x[region, *]) is an *Ident whose Name is Wildcard.
type Index struct {
	X      *Ident
	Subs   []Expr
	Rbrack int
}

// Wildcard is the Name of the Ident that stands for a subscript written
// as *, meaning every element of that dimension.
const Wildcard = "*"

// If is a conditional: if Cond then Then else Else.
type If struct {
	At   int // offset of "if"
	Cond Expr
	Then Expr
	Else Expr
}

func (x *Num) Start() int    { return x.At }
func (x *Num) End() int      { return x.At + len(x.Text) }
func (x *Ident) Start() int  { return x.At }
func (x *Ident) End() int    { return x.At + len(x.Name) }
func (x *Unary) Start() int  { return x.At }
func (x *Unary) End() int    { return x.X.End() }
func (x *Binary) Start() int { return x.X.Start() }
func (x *Binary) End() int   { return x.Y.End() }
func (x *Paren) Start() int  { return x.Lparen }
func (x *Paren) End() int    { return x.Rparen + 1 }
func (x *Call) Start() int   { return x.Fn.At }
func (x *Call) End() int     { return x.Rparen + 1 }
func (x *Index) Start() int  { return x.X.At }
func (x *Index) End() int    { return x.Rbrack + 1 }
func (x *If) Start() int     { return x.At }
func (x *If) End() int       { return x.Else.End() }

func (*Num) exprNode()    {}
func (*Ident) exprNode()  {}
func (*Unary) exprNode()  {}
func (*Binary) exprNode() {}
func (*Paren) exprNode()  {}
func (*Call) exprNode()   {}
func (*Index) exprNode()  {}
func (*If) exprNode()     {}

// Walk calls f for x and then, if f returns true, for each of x's children
// in source order.
func Walk(x Expr, f func(Expr) bool) {
	if x == nil || !f(x) {
		return
	}
	switch x := x.(type) {
	case *Unary:
		Walk(x.X, f)
	case *Binary:
		Walk(x.X, f)
		Walk(x.Y, f)
	case *Paren:
		Walk(x.X, f)
	case *Call:
		Walk(x.Fn, f)
		for _, a := range x.Args {
			Walk(a, f)
		}
	case *Index:
		Walk(x.X, f)
		for _, s := range x.Subs {
			Walk(s, f)
		}
	case *If:
		Walk(x.Cond, f)
		Walk(x.Then, f)
		Walk(x.Else, f)
	}
}

// Unparen returns x with any enclosing parentheses removed.
func Unparen(x Expr) Expr {
	for {
		p, ok := x.(*Paren)
		if !ok {
			return x
		}
		x = p.X
	}
}
