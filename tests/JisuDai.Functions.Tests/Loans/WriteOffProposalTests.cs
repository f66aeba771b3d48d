using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Events;
using JisuDai.Adapters.Loans;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;
using JisuDai.Lending;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Loans;

/// <summary>The monthly write-off proposal and its approval, on Azurite.</summary>
public sealed class WriteOffProposalTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static readonly DateOnly Disbursed = new(2025, 6, 10);
    static readonly DateOnly ProposedOn = new(2026, 3, 1);

    [Fact]
    public async Task Only_loans_beyond_the_threshold_are_proposed_and_approval_writes_off_those_still_beyond_it_once()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var loans = new TableDocumentStore<Loan>(tables, "loans", DocumentKinds.LoanTables);
        var outbox = new LoanEventOutbox(tables);
        var proposals = new WriteOffProposals(new BlobWriteOffProposals(new BlobServiceClient(azurite.ConnectionString)), loans, new LoanChanges(loans, outbox), outbox, NullLogger<WriteOffProposals>.Instance);
        var sweep = new OverdueSweep(loans, outbox, new TableSweepProgress(tables), new TableSweepQuarantine(tables), new JisuDai.Adapters.Staff.TableStaffAlerts(tables), TimeProvider.System, NullLogger<OverdueSweep>.Instance);

        RepaymentSchedule schedule = Offers.Price(BuiltInProducts.Express, Offers.TermsFor(BuiltInProducts.Express, 6_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        Loan Book(string customer, params RecordedRepayment[] paid) =>
            new($"loan-1.{customer}", customer, $"app-1.{customer}", 6_000m, LoanStatus.Active, Disbursed, BuiltInProducts.Express.Code, schedule, "tr", paid);
        var paidUp = schedule.Installments.Where(i => i.DueDate <= ProposedOn).Select(i => new RecordedRepayment($"p{i.Number}", i.DueDate, i.Total, DateTimeOffset.UtcNow)).ToArray();
        foreach (Loan loan in new[] { Book("defaulted"), Book("repays-later"), Book("good", paidUp) })
        {
            await loans.CreateAsync(loan);
        }

        await sweep.RunAsync(ProposedOn, CancellationToken.None);
        WriteOffProposal proposal = await proposals.ProposeAsync(ProposedOn, CancellationToken.None);

        Assert.Equal(("2026-03", WriteOffProposal.Proposed), (proposal.Id, proposal.Status));
        Assert.Equal(["loan-1.defaulted", "loan-1.repays-later"], proposal.Loans.Select(l => l.LoanId));
        Assert.All(proposal.Loans, l => Assert.True(l.DaysPastDue > 180 && l.Owed > l.PrincipalOutstanding));
        Assert.Equal(LoanStatus.Overdue, (await loans.FindAsync("defaulted", "loan-1.defaulted"))!.Document.Status); // nothing written off yet

        // One borrower pays everything due before the admin gets to it.
        Versioned<Loan> later = (await loans.FindAsync("repays-later", "loan-1.repays-later"))!;
        decimal due = LoanSweep.LedgerOf(later.Document, BuiltInProducts.Express).PositionOn(ProposedOn.AddDays(2)).Balances.Where(b => b.DueDate <= ProposedOn.AddDays(2)).Sum(b => b.Total);
        Loan repaid = LoanRepayments.Record(later.Document, new RecordedRepayment("catch-up", ProposedOn.AddDays(2), due, JisuDai.Lending.Calendar.LenderCalendar.StartOf(ProposedOn.AddDays(2)).AddHours(10))).Value!.Loan;
        await loans.ReplaceAsync(repaid, later.ETag);

        Outcome<WriteOffProposal> approved = await proposals.ApproveAsync("2026-03", "admin-7", ProposedOn.AddDays(2), CancellationToken.None);
        Outcome<WriteOffProposal> again = await proposals.ApproveAsync("2026-03", "admin-8", ProposedOn.AddDays(3), CancellationToken.None);

        Assert.Equal((WriteOffProposal.Approved, "admin-7"), (approved.Value!.Status, approved.Value.ApprovedBy));
        Assert.Equal(approved.Value.Results, again.Value!.Results);
        Assert.Equal("admin-7", again.Value.ApprovedBy);
        WriteOffResult written = approved.Value.Results!.Single(r => r.LoanId == "loan-1.defaulted");
        Assert.Null(written.Skipped);
        Assert.NotNull(approved.Value.Results!.Single(r => r.LoanId == "loan-1.repays-later").Skipped);

        Loan defaulted = (await loans.FindAsync("defaulted", "loan-1.defaulted"))!.Document;
        Assert.Equal(LoanStatus.WrittenOff, defaulted.Status);
        Assert.Equal(("2026-03", "admin-7", written.WrittenOff), (defaulted.WriteOff!.ProposalId, defaulted.WriteOff.ApprovedBy, defaulted.WriteOff.Amount));
        Assert.Equal(0m, LoanSweep.LedgerOf(defaulted, BuiltInProducts.Express).PositionOn(ProposedOn.AddDays(5)).Outstanding);
        Assert.NotEqual(LoanStatus.WrittenOff, (await loans.FindAsync("repays-later", "loan-1.repays-later"))!.Document.Status);
        LoanEventRecord inOutbox = Assert.Single(await outbox.PendingAsync(100, CancellationToken.None), e => e.Type == LoanEventType.LoanWrittenOff);
        Assert.Equal((defaulted.Id, written.WrittenOff), (inOutbox.LoanId, inOutbox.Amount));

        // The sweep leaves a written-off loan alone, and an approved month is not proposed again.
        await sweep.RunAsync(ProposedOn.AddDays(3), CancellationToken.None);
        Assert.DoesNotContain((await loans.FindAsync("defaulted", "loan-1.defaulted"))!.Document.Charges!, c => c.Date > ProposedOn.AddDays(2));
        Assert.Equal(WriteOffProposal.Approved, (await proposals.ProposeAsync(ProposedOn.AddDays(4), CancellationToken.None)).Status);
        Assert.False((await proposals.ApproveAsync("2026-04", "admin-7", ProposedOn.AddDays(4), CancellationToken.None)).Succeeded);
    }
}
