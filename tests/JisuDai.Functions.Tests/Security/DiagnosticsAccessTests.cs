using System.Net;
using JisuDai.Functions.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace JisuDai.Functions.Tests.Security;

/// <summary>The diagnostics endpoints exist only where enabled and only for a caller on this machine.</summary>
public sealed class DiagnosticsAccessTests
{
    static HttpRequest From(string address, string? forwardedHeader = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (forwardedHeader is not null)
        {
            context.Request.Headers[forwardedHeader] = "203.0.113.9";
        }

        return context.Request;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Enabled_diagnostics_answer_a_loopback_caller(string address) =>
        Assert.True(new DiagnosticsOptions(true).Allows(From(address)));

    [Theory]
    [InlineData("10.0.0.5", null)]
    [InlineData("192.168.1.20", null)]
    [InlineData("127.0.0.1", "X-Forwarded-For")]
    [InlineData("127.0.0.1", "Forwarded")]
    public void A_caller_from_elsewhere_or_through_a_proxy_is_refused(string address, string? forwarded) =>
        Assert.False(new DiagnosticsOptions(true).Allows(From(address, forwarded)));

    [Fact]
    public void Disabled_diagnostics_refuse_even_loopback()
    {
        var disabled = new DiagnosticsOptions(false);
        Assert.False(disabled.Allows(From("127.0.0.1")));
        Assert.Contains("disabled", disabled.Refusal);
    }
}
