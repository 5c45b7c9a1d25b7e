using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// Evaluates the aggregation-expression operators the store's score expressions use ($zip, $map, $sum, $multiply,
/// $subtract, $divide, $pow, $sqrt, $let, $cond, $eq, $arrayElemAt, $meta), with the semantics the MongoDB manual gives
/// them, so a score expression can be checked against plain reference scores without a server.
/// </summary>
internal static class AggregationEvaluator
{
    public static BsonValue Evaluate(BsonValue expression, BsonDocument document, double? metaScore = null)
        => Eval(expression, document, new Dictionary<string, BsonValue>(), metaScore);

    private static BsonValue Eval(BsonValue e, BsonDocument doc, Dictionary<string, BsonValue> vars, double? meta)
    {
        switch (e)
        {
            case BsonString { Value: var s } when s.StartsWith("$$", StringComparison.Ordinal):
                return vars[s[2..]];
            case BsonString { Value: var s } when s.StartsWith('$'):
                return doc[s[1..]];
            case BsonArray array:
                return new BsonArray(array.Select(x => Eval(x, doc, vars, meta)));
            case BsonDocument { ElementCount: 1 } op when op.GetElement(0).Name.StartsWith('$'):
                return Operator(op.GetElement(0).Name, op[0], doc, vars, meta);
            default:
                return e;
        }
    }

    private static BsonValue Operator(string name, BsonValue arg, BsonDocument doc, Dictionary<string, BsonValue> vars, double? meta)
    {
        List<BsonValue> Args() => arg.AsBsonArray.Select(a => Eval(a, doc, vars, meta)).ToList();
        switch (name)
        {
            case "$meta":
                return meta ?? throw new InvalidOperationException("No $meta score given.");
            case "$zip":
            {
                var inputs = arg["inputs"].AsBsonArray.Select(a => Eval(a, doc, vars, meta).AsBsonArray).ToList();
                var length = inputs.Min(i => i.Count);
                return new BsonArray(Enumerable.Range(0, length).Select(i => new BsonArray(inputs.Select(input => input[i]))));
            }

            case "$map":
            {
                var input = Eval(arg["input"], doc, vars, meta).AsBsonArray;
                var name2 = arg["as"].AsString;
                return new BsonArray(input.Select(item => Eval(arg["in"], doc, new Dictionary<string, BsonValue>(vars) { [name2] = item }, meta)));
            }

            case "$sum":
                return Eval(arg, doc, vars, meta).AsBsonArray.Sum(x => x.ToDouble());
            case "$multiply":
                return Args().Aggregate(1.0, (p, x) => p * x.ToDouble());
            case "$subtract":
            {
                var a = Args();
                return a[0].ToDouble() - a[1].ToDouble();
            }

            case "$divide":
            {
                var a = Args();
                return a[1].ToDouble() == 0 ? throw new DivideByZeroException("$divide by zero") : a[0].ToDouble() / a[1].ToDouble();
            }

            case "$pow":
            {
                var a = Args();
                return Math.Pow(a[0].ToDouble(), a[1].ToDouble());
            }

            case "$sqrt":
                return Math.Sqrt(Eval(arg, doc, vars, meta).ToDouble());
            case "$eq":
            {
                var a = Args();
                return a[0].ToDouble() == a[1].ToDouble();
            }

            case "$arrayElemAt":
            {
                var a = Args();
                return a[0].AsBsonArray[a[1].ToInt32()];
            }

            case "$let":
            {
                var scope = new Dictionary<string, BsonValue>(vars);
                foreach (var v in arg["vars"].AsBsonDocument)
                {
                    scope[v.Name] = Eval(v.Value, doc, vars, meta);
                }

                return Eval(arg["in"], doc, scope, meta);
            }

            case "$cond":
                return Eval(arg["if"], doc, vars, meta).ToBoolean() ? Eval(arg["then"], doc, vars, meta) : Eval(arg["else"], doc, vars, meta);
            default:
                throw new NotSupportedException($"The test evaluator does not know {name}.");
        }
    }
}
