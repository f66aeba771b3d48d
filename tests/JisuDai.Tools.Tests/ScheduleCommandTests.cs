using System.Diagnostics;
using System.Text.Json;

namespace JisuDai.Tools.Tests;

/// <summary>The <c>jisudai schedule</c> command, run as a loan officer runs it.</summary>
public sealed class ScheduleCommandTests
{
    [Fact]
    public void The_table_shows_each_installment_the_totals_and_the_APR()
    {
        (int exitCode, string output, _) = JisudaiCli.Run("schedule", "--amount", "10000", "--annual-rate", "12", "--term", "12",
            "--method", "equal-installment", "--start", "2026-01-15");

        Assert.Equal(0, exitCode);
        Assert.Contains("   1  2026-02-15          788.49        100.00          888.49        9,211.51", output);
        Assert.Contains("  12  2027-01-15          879.67          8.80          888.47            0.00", output);
        Assert.Contains("Total            10,000.00        661.86       10,661.86", output);
        Assert.Contains("APR 12.00%", output);
    }

    [Fact]
    public void Json_output_carries_the_same_schedule()
    {
        (int exitCode, string output, _) = JisudaiCli.Run("schedule", "--amount", "12000", "--annual-rate", "12", "--term", "12",
            "--method", "equal-principal", "--start", "2026-01-15", "--json");

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] installments = json.RootElement.GetProperty("installments").EnumerateArray().ToArray();
        Assert.Equal(12, installments.Length);
        Assert.Equal(1120.00m, installments[0].GetProperty("total").GetDecimal());
        Assert.Equal(780m, json.RootElement.GetProperty("totalInterest").GetDecimal());
    }

    [Fact]
    public void Bad_input_exits_2_naming_every_field_at_fault()
    {
        (int exitCode, string output, string error) = JisudaiCli.Run("schedule", "--amount", "-5", "--annual-rate", "12", "--term", "12",
            "--method", "balloon", "--start", "15/01/2026");

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("method: Unknown method 'balloon'", error);
        Assert.Contains("[principal-in-range]", error);
        Assert.Contains("start: --start must be a date as yyyy-MM-dd", error);
    }
}
