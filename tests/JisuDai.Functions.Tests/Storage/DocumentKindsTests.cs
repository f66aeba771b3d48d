using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;
using JisuDai.Lending.Documents;
using JisuDai.Risk.Decisions;

namespace JisuDai.Functions.Tests.Storage;

public sealed class DocumentKindsTests
{
    [Fact]
    public void Every_customer_document_type_has_a_valid_table_name_of_its_own()
    {
        Type[] documentTypes = typeof(ICustomerDocument).Assembly.GetTypes()
            .Concat(typeof(JisuDai.Risk.Decisions.CreditDecision).Assembly.GetTypes())
            .Concat(typeof(JisuDai.App.Staff.StaffRequest).Assembly.GetTypes())
            .Where(t => t.IsClass && typeof(ICustomerDocument).IsAssignableFrom(t))
            .ToArray();

        Assert.Equal(documentTypes.OrderBy(t => t.Name), DocumentKinds.Collections.Keys.OrderBy(t => t.Name));
        Assert.Equal(DocumentKinds.Collections.Count, DocumentKinds.Collections.Values.Distinct().Count());
        // Table names: 3-63 alphanumeric characters starting with a letter.
        Assert.All(DocumentKinds.Collections.Values, name => Assert.Matches("^[a-z][a-z0-9]{2,62}$", name));
    }
}
