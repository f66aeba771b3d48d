using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Tests;

/// <summary>Products as data: the document a version is proposed as, and which version is in force when.</summary>
public sealed class ProductCatalogueTests
{
    static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    static readonly DateTimeOffset Jan1 = new(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A product as GET /api/products shows it, as a document a user edits.</summary>
    static JsonObject Document(LoanProduct product) => JsonSerializer.SerializeToNode(product, Api)!.AsObject();

    static Outcome<ProductDraft> Parse(JsonNode document) => ProductDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(document));

    static ProductPublication Published(LoanProduct product, DateTimeOffset from, bool offered = true) =>
        new(product, from, offered, null, from, "admin-1", "admin-2");

    [Fact]
    public void A_product_as_the_api_shows_it_reads_back_as_the_same_terms()
    {
        JsonObject document = Document(BuiltInProducts.Express);
        document["effectiveFrom"] = "2027-01-01T00:00:00+08:00";
        document["description"] = "Express as built in.";

        ProductDraft draft = Parse(document).Value!;

        Assert.Equal(JsonSerializer.Serialize(BuiltInProducts.Express, Api), JsonSerializer.Serialize(draft.Product, Api));
        Assert.Equal((Jan1, true, "Express as built in."), (draft.EffectiveFrom, draft.Offered, draft.Description));
    }

    [Fact]
    public void Every_fault_in_a_document_is_named_by_its_json_path()
    {
        JsonObject document = Document(BuiltInProducts.Express with { Code = "salary" });
        document.Remove("aprCap");
        document["minTerm"] = "three";
        document["methods"] = new JsonArray("EqualInstallment", "Weekly");
        document["dayCount"] = 1;
        document["delinquency"]!["buckets"]![1]!["fromDays"] = null;
        document["delinquency"]!["lateFee"] = "free";
        document["fees"] = 0.01;

        var fields = Parse(document).Errors.Select(e => e.Field).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["aprCap", "dayCount", "delinquency.buckets[1].fromDays", "delinquency.lateFee", "fees", "methods[1]", "minTerm"], fields);
    }

    [Fact]
    public void Terms_that_read_but_break_the_product_rules_are_refused_by_field()
    {
        JsonObject document = Document(BuiltInProducts.Express with { Code = "Salary Loan", MinAnnualRate = 0.30m, Version = 0 });
        document["delinquency"]!["buckets"]![1]!["fromDays"] = 5;

        var errors = Parse(document).Errors.Select(e => (e.Field, e.Rule)).Order().ToList();

        Assert.Equal([("code", "code-form"), ("delinquency.buckets", "buckets-contiguous"), ("version", "version-positive")], errors.Where(e => e.Field != "minAnnualRate").ToList());
        Assert.Contains(("minAnnualRate", "rate-bounds"), errors);
        Assert.Equal("$", Assert.Single(ProductDocument.Parse("{\"code\":"u8.ToArray()).Errors).Field);
        Assert.Equal("$", Assert.Single(ProductDocument.Parse(new byte[ProductDocument.MaxBytes + 1]).Errors).Field);
    }

    [Fact]
    public void The_highest_version_whose_time_has_come_is_in_force_and_a_withdrawal_takes_the_product_off_offer()
    {
        LoanProduct v1 = BuiltInProducts.Express;
        LoanProduct v2 = v1 with { MaxAmount = 80_000m, Version = 2 };
        LoanProduct v3 = v1 with { MaxAmount = 30_000m, Version = 3 };
        LoanProduct salary = v1 with { Code = "salary", MaxTerm = 12 };
        ProductPublication[] published =
        [
            Published(v1, DateTimeOffset.UnixEpoch), Published(salary, DateTimeOffset.UnixEpoch),
            Published(v2, Jan1), Published(v3, Jan1.AddDays(10)), Published(salary with { Version = 2 }, Jan1.AddDays(5), offered: false),
        ];

        Assert.Equal([("express", 1), ("salary", 1)], Offered(published, Jan1.AddSeconds(-1)));
        Assert.Equal([("express", 2), ("salary", 1)], Offered(published, Jan1));
        Assert.Equal([("express", 2)], Offered(published, Jan1.AddDays(5)));
        Assert.Equal([("express", 3)], Offered(published, Jan1.AddDays(10)));

        // A version is found by number whether or not it is in force; publishing again takes the next number.
        Assert.Equal(80_000m, ProductsInForce.Find(published, "express", 2)!.MaxAmount);
        Assert.Null(ProductsInForce.Find(published, "express", 4));
        Assert.Equal((4, 3, 1), (ProductsInForce.NextVersion(published, "express"), ProductsInForce.NextVersion(published, "salary"), ProductsInForce.NextVersion(published, "payday")));
    }

    static List<(string, int)> Offered(IEnumerable<ProductPublication> published, DateTimeOffset at) =>
        ProductsInForce.At(published, at).Values.Select(p => (p.Code, p.Version)).Order().ToList();
}
