using System.Globalization;

namespace JisuDai.Risk.Rules;

/// <summary>A problem in an expression: where (0-based character offset) and what.</summary>
public sealed record ExpressionError(int Position, string Message);

/// <summary>
/// A compiled rule expression. The language is small and safe: it reads facts, compares, combines and does arithmetic,
/// and can do nothing else (no calls out, no loops, no assignment), so a published rule cannot run arbitrary code.
/// <code>
/// expr    := or
/// or      := and ('or' and)*            and := not ('and' not)*          not := 'not' not | compare
/// compare := sum (('=='|'!='|'&lt;'|'&lt;='|'&gt;'|'&gt;='|'in'|'not in') sum)?
/// sum     := product (('+'|'-') product)*                    product := unary (('*'|'/') unary)*
/// unary   := '-' unary | atom
/// atom    := number | 'text' | "text" | true | false | null | fact.name | min(..) | max(..) | abs(x) | '(' expr ')' | '[' atoms ']'
/// </code>
/// A missing fact makes arithmetic missing and comparisons false (except <c>== null</c> and <c>!= null</c>); a
/// condition is met only when it is true.
/// </summary>
public sealed class Expression
{
    readonly Func<Facts, FactValue> evaluate;

    Expression(string text, FactType type, Func<Facts, FactValue> evaluate, IReadOnlyList<string> reads)
    {
        Text = text;
        Type = type;
        this.evaluate = evaluate;
        Reads = reads;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The type it evaluates to.</summary>
    public FactType Type { get; }

    /// <summary>The facts it reads.</summary>
    public IReadOnlyList<string> Reads { get; }

    /// <summary>Evaluates against one decision's facts.</summary>
    public FactValue Evaluate(Facts facts) => evaluate(facts);

    /// <summary>Compiles <paramref name="text"/> against <paramref name="catalog"/>; null and the errors when it does not compile.</summary>
    public static (Expression? Expression, IReadOnlyList<ExpressionError> Errors) Compile(string text, FactCatalog catalog)
    {
        if (text.Length > MaxLength)
        {
            return (null, [new ExpressionError(MaxLength, $"An expression is at most {MaxLength} characters.")]);
        }

        try
        {
            var parser = new Parser(text, catalog);
            Node node = parser.ParseAll();
            return (new Expression(text, node.Type, node.Evaluate, parser.Reads.Distinct().ToList()), []);
        }
        catch (ExpressionException e)
        {
            return (null, [new ExpressionError(e.Position, e.Message)]);
        }
    }

    /// <summary>The longest expression compiled.</summary>
    public const int MaxLength = 2000;

    /// <summary>How deep parentheses, <c>not</c> and unary minus may nest: deeper would only risk the stack, never say more.</summary>
    public const int MaxDepth = 32;

    sealed class ExpressionException(int position, string message) : Exception(message)
    {
        public int Position { get; } = position;
    }

    /// <summary>A parsed expression; <see cref="Slot"/> is set for a bare fact and <see cref="Constant"/> for a literal, so comparisons of the two compile to one step.</summary>
    sealed record Node(FactType Type, Func<Facts, FactValue> Evaluate, bool IsNullLiteral = false, IReadOnlyList<FactValue>? List = null, int? Slot = null, FactValue? Constant = null);

    enum Kind { Number, Text, Name, Symbol, End }

    readonly record struct Token(Kind Kind, string Text, int Position);

    sealed class Parser
    {
        readonly List<Token> tokens;
        readonly FactCatalog catalog;
        int index;

        public Parser(string text, FactCatalog catalog)
        {
            this.catalog = catalog;
            tokens = Tokenize(text);
        }

        public List<string> Reads { get; } = [];

        int depth;

        /// <summary>Runs <paramref name="parse"/> one level deeper, refusing past <see cref="MaxDepth"/>.</summary>
        Node Deeper(Func<Node> parse)
        {
            if (++depth > MaxDepth)
            {
                throw new ExpressionException(Peek.Position, $"The expression nests deeper than {MaxDepth} levels.");
            }

            try
            {
                return parse();
            }
            finally
            {
                depth--;
            }
        }

        Token Peek => tokens[index];

        public Node ParseAll()
        {
            Node node = Or();
            if (Peek.Kind != Kind.End)
            {
                throw new ExpressionException(Peek.Position, $"Unexpected '{Peek.Text}'.");
            }

            return node;
        }

        bool Accept(string symbol)
        {
            if ((Peek.Kind == Kind.Symbol || Peek.Kind == Kind.Name) && Peek.Text == symbol)
            {
                index++;
                return true;
            }

            return false;
        }

        void Expect(string symbol)
        {
            if (!Accept(symbol))
            {
                throw new ExpressionException(Peek.Position, Peek.Kind == Kind.End ? $"Expected '{symbol}' but the expression ended." : $"Expected '{symbol}' but found '{Peek.Text}'.");
            }
        }

        Node Or() => Deeper(OrAtThisLevel);

        Node OrAtThisLevel()
        {
            Node left = And();
            while (Peek.Text == "or" && Peek.Kind == Kind.Name)
            {
                int at = Peek.Position;
                index++;
                Node right = And();
                Need(left, FactType.Bool, at, "or");
                Need(right, FactType.Bool, at, "or");
                var (l, r) = (left.Evaluate, right.Evaluate);
                left = new Node(FactType.Bool, f => FactValue.Of(l(f).IsTrue || r(f).IsTrue));
            }

            return left;
        }

        Node And()
        {
            Node left = Not();
            while (Peek.Text == "and" && Peek.Kind == Kind.Name)
            {
                int at = Peek.Position;
                index++;
                Node right = Not();
                Need(left, FactType.Bool, at, "and");
                Need(right, FactType.Bool, at, "and");
                var (l, r) = (left.Evaluate, right.Evaluate);
                left = new Node(FactType.Bool, f => FactValue.Of(l(f).IsTrue && r(f).IsTrue));
            }

            return left;
        }

        Node Not()
        {
            if (Peek.Kind == Kind.Name && Peek.Text == "not")
            {
                int at = Peek.Position;
                index++;
                Node operand = Deeper(Not);
                Need(operand, FactType.Bool, at, "not");
                var e = operand.Evaluate;
                return new Node(FactType.Bool, f => FactValue.Of(!e(f).IsTrue));
            }

            return Compare();
        }

        Node Compare()
        {
            Node left = Sum();
            int at = Peek.Position;
            string? op = Peek.Kind == Kind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=" ? Peek.Text : null;
            if (op is null && Peek.Kind == Kind.Name && Peek.Text == "in")
            {
                op = "in";
            }
            else if (op is null && Peek.Kind == Kind.Name && Peek.Text == "not" && tokens[index + 1] is { Kind: Kind.Name, Text: "in" })
            {
                index++;
                op = "not in";
            }

            if (op is null)
            {
                return left;
            }

            index++;
            Node right = Sum();
            var (l, r) = (left.Evaluate, right.Evaluate);
            if (op is "in" or "not in")
            {
                if (right.List is null)
                {
                    throw new ExpressionException(at, $"'{op}' needs a list on its right, like ['a', 'b'].");
                }

                if (right.List.Count > 0 && right.List[0].Type != left.Type)
                {
                    throw new ExpressionException(at, $"'{op}' compares {Name(left.Type)} with a list of {Name(right.List[0].Type!.Value)}.");
                }

                var set = right.List.ToHashSet();
                bool negate = op == "not in";
                return new Node(FactType.Bool, f => l(f) is { IsMissing: false } v ? FactValue.Of(set.Contains(v) != negate) : FactValue.Of(false));
            }

            if (right.IsNullLiteral || left.IsNullLiteral)
            {
                if (op is not ("==" or "!="))
                {
                    throw new ExpressionException(at, $"null can only be compared with == or !=.");
                }

                var value = left.IsNullLiteral ? r : l;
                bool equal = op == "==";
                return new Node(FactType.Bool, f => FactValue.Of(value(f).IsMissing == equal));
            }

            if (left.Type != right.Type)
            {
                throw new ExpressionException(at, $"'{op}' compares {Name(left.Type)} with {Name(right.Type)}.");
            }

            if (left.Type != FactType.Number && op is "<" or "<=" or ">" or ">=")
            {
                throw new ExpressionException(at, $"'{op}' needs numbers; these are {Name(left.Type)}.");
            }

            if (left.Slot is int slot && right.Constant is { Type: FactType.Number } constant)
            {
                // The common rule shape, a fact against a number: one step, no nested calls.
                double c = constant.Number;
                return op switch
                {
                    "<" => new Node(FactType.Bool, f => FactValue.Of(f[slot] is { Type: FactType.Number } v && v.Number < c)),
                    "<=" => new Node(FactType.Bool, f => FactValue.Of(f[slot] is { Type: FactType.Number } v && v.Number <= c)),
                    ">" => new Node(FactType.Bool, f => FactValue.Of(f[slot] is { Type: FactType.Number } v && v.Number > c)),
                    ">=" => new Node(FactType.Bool, f => FactValue.Of(f[slot] is { Type: FactType.Number } v && v.Number >= c)),
                    "==" => new Node(FactType.Bool, f => FactValue.Of(f[slot] is { Type: FactType.Number } v && v.Number == c)),
                    _ => new Node(FactType.Bool, f => FactValue.Of(f[slot] is { Type: FactType.Number } v && v.Number != c)),
                };
            }

            Func<FactValue, FactValue, bool> test = op switch
            {
                "==" => (a, b) => a.Equals(b),
                "!=" => (a, b) => !a.Equals(b),
                "<" => (a, b) => a.Number < b.Number,
                "<=" => (a, b) => a.Number <= b.Number,
                ">" => (a, b) => a.Number > b.Number,
                _ => (a, b) => a.Number >= b.Number,
            };
            return new Node(FactType.Bool, f =>
            {
                FactValue a = l(f), b = r(f);
                return FactValue.Of(!a.IsMissing && !b.IsMissing && test(a, b));
            });
        }

        Node Sum()
        {
            Node left = Product();
            while (Peek.Kind == Kind.Symbol && Peek.Text is "+" or "-")
            {
                string op = Peek.Text;
                int at = Peek.Position;
                index++;
                left = Arithmetic(left, Product(), op, at);
            }

            return left;
        }

        Node Product()
        {
            Node left = Unary();
            while (Peek.Kind == Kind.Symbol && Peek.Text is "*" or "/")
            {
                string op = Peek.Text;
                int at = Peek.Position;
                index++;
                left = Arithmetic(left, Unary(), op, at);
            }

            return left;
        }

        Node Arithmetic(Node left, Node right, string op, int at)
        {
            Need(left, FactType.Number, at, op);
            Need(right, FactType.Number, at, op);
            var (l, r) = (left.Evaluate, right.Evaluate);
            Func<double, double, double> apply = op switch
            {
                "+" => (a, b) => a + b,
                "-" => (a, b) => a - b,
                "*" => (a, b) => a * b,
                _ => (a, b) => a / b,
            };
            return new Node(FactType.Number, f =>
            {
                FactValue a = l(f), b = r(f);
                if (a.IsMissing || b.IsMissing || (op == "/" && b.Number == 0))
                {
                    return FactValue.Missing;
                }

                return FactValue.Of(apply(a.Number, b.Number));
            });
        }

        Node Unary()
        {
            if (Peek.Kind == Kind.Symbol && Peek.Text == "-")
            {
                int at = Peek.Position;
                index++;
                Node operand = Deeper(Unary);
                Need(operand, FactType.Number, at, "-");
                var e = operand.Evaluate;
                return new Node(FactType.Number, f => e(f) is { IsMissing: false } v ? FactValue.Of(-v.Number) : FactValue.Missing);
            }

            return Atom();
        }

        Node Atom()
        {
            Token token = Peek;
            switch (token.Kind)
            {
                case Kind.Number:
                    index++;
                    FactValue n = FactValue.Of(double.Parse(token.Text, CultureInfo.InvariantCulture));
                    return new Node(FactType.Number, _ => n, Constant: n);
                case Kind.Text:
                    index++;
                    FactValue t = FactValue.Of(token.Text);
                    return new Node(FactType.Text, _ => t, Constant: t);
                case Kind.Symbol when token.Text == "(":
                    index++;
                    Node inner = Or();
                    Expect(")");
                    return inner;
                case Kind.Symbol when token.Text == "[":
                    return List();
                case Kind.Name:
                    index++;
                    switch (token.Text)
                    {
                        case "true" or "false":
                            FactValue b = FactValue.Of(token.Text == "true");
                            return new Node(FactType.Bool, _ => b);
                        case "null":
                            return new Node(FactType.Number, _ => FactValue.Missing, IsNullLiteral: true);
                        case "min" or "max" or "abs" when Peek.Text == "(":
                            return Call(token);
                    }

                    if (!catalog.TryGet(token.Text, out int slot, out FactType type))
                    {
                        throw new ExpressionException(token.Position, $"Unknown fact '{token.Text}'.");
                    }

                    Reads.Add(token.Text);
                    return new Node(type, f => f[slot], Slot: slot);
                case Kind.End:
                    throw new ExpressionException(token.Position, "The expression ended too soon.");
                default:
                    throw new ExpressionException(token.Position, $"Unexpected '{token.Text}'.");
            }
        }

        Node Call(Token name)
        {
            Expect("(");
            var args = new List<Node> { Or() };
            while (Accept(","))
            {
                args.Add(Or());
            }

            Expect(")");
            foreach (Node arg in args)
            {
                Need(arg, FactType.Number, name.Position, name.Text);
            }

            if (name.Text == "abs" ? args.Count != 1 : args.Count < 2)
            {
                throw new ExpressionException(name.Position, name.Text == "abs" ? "abs takes one number." : $"{name.Text} takes two or more numbers.");
            }

            var evaluators = args.Select(a => a.Evaluate).ToArray();
            return new Node(FactType.Number, f =>
            {
                double result = name.Text == "min" ? double.PositiveInfinity : double.NegativeInfinity;
                foreach (var e in evaluators)
                {
                    FactValue v = e(f);
                    if (v.IsMissing)
                    {
                        return FactValue.Missing;
                    }

                    result = name.Text switch { "min" => Math.Min(result, v.Number), "max" => Math.Max(result, v.Number), _ => Math.Abs(v.Number) };
                }

                return FactValue.Of(result);
            });
        }

        Node List()
        {
            int at = Peek.Position;
            Expect("[");
            var items = new List<FactValue>();
            if (!Accept("]"))
            {
                do
                {
                    Token item = Peek;
                    bool negative = item.Kind == Kind.Symbol && item.Text == "-";
                    if (negative)
                    {
                        index++;
                        item = Peek;
                    }

                    FactValue value = item.Kind switch
                    {
                        Kind.Number => FactValue.Of((negative ? -1 : 1) * double.Parse(item.Text, CultureInfo.InvariantCulture)),
                        Kind.Text when !negative => FactValue.Of(item.Text),
                        _ => throw new ExpressionException(item.Position, "A list holds numbers or texts."),
                    };
                    if (items.Count > 0 && items[0].Type != value.Type)
                    {
                        throw new ExpressionException(item.Position, "A list holds one type: all numbers or all texts.");
                    }

                    items.Add(value);
                    index++;
                }
                while (Accept(","));
                Expect("]");
            }

            return new Node(items.Count > 0 ? items[0].Type!.Value : FactType.Text, _ => throw new ExpressionException(at, "A list is only for 'in'."), List: items);
        }

        static void Need(Node node, FactType type, int at, string op)
        {
            if (node.List is not null)
            {
                throw new ExpressionException(at, $"A list can only follow 'in'.");
            }

            if (node.Type != type || node.IsNullLiteral)
            {
                throw new ExpressionException(at, $"'{op}' needs {Name(type)}, not {(node.IsNullLiteral ? "null" : Name(node.Type))}.");
            }
        }

        static string Name(FactType type) => type switch { FactType.Number => "a number", FactType.Text => "text", _ => "true/false" };

        static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    int start = i;
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    if (!double.TryParse(text[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        throw new ExpressionException(start, $"'{text[start..i]}' is not a number.");
                    }

                    tokens.Add(new Token(Kind.Number, text[start..i], start));
                }
                else if (char.IsAsciiLetter(c) || c == '_')
                {
                    int start = i;
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                    {
                        i++;
                    }

                    tokens.Add(new Token(Kind.Name, text[start..i].TrimEnd('.'), start));
                }
                else if (c is '\'' or '"')
                {
                    int start = i;
                    int end = text.IndexOf(c, i + 1);
                    if (end < 0)
                    {
                        throw new ExpressionException(start, "A text is not closed.");
                    }

                    tokens.Add(new Token(Kind.Text, text[(i + 1)..end], start));
                    i = end + 1;
                }
                else
                {
                    string two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                    if (two is "==" or "!=" or "<=" or ">=")
                    {
                        tokens.Add(new Token(Kind.Symbol, two, i));
                        i += 2;
                    }
                    else if (c is '<' or '>' or '+' or '-' or '*' or '/' or '(' or ')' or '[' or ']' or ',')
                    {
                        tokens.Add(new Token(Kind.Symbol, c.ToString(), i));
                        i++;
                    }
                    else
                    {
                        throw new ExpressionException(i, $"Unexpected character '{c}'.");
                    }
                }
            }

            tokens.Add(new Token(Kind.End, "", text.Length));
            return tokens;
        }
    }
}
