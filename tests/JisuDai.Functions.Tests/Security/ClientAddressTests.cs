using System.Net;
using JisuDai.App.Configuration;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Tests.Security;

/// <summary>The caller's address: the connection's, or the one the trusted proxies wrote, never one the caller wrote.</summary>
public sealed class ClientAddressTests
{
    static HttpRequest Request(int? hops, string? forwardedFor)
    {
        var services = new ServiceCollection();
        if (hops is { } h)
        {
            services.AddSingleton(ClientAddress.FromConfiguration(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.ForwardedHops] = h.ToString() }).Build()));
        }

        var context = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        return context.Request;
    }

    [Theory]
    [InlineData(null, "198.51.100.1", "10.0.0.5")] // not configured: the connection, whatever the header says
    [InlineData(0, "198.51.100.1", "10.0.0.5")]
    [InlineData(1, "198.51.100.1, 203.0.113.7:5123", "203.0.113.7")] // the caller's own entry (left) is not believed
    [InlineData(2, "198.51.100.1, 203.0.113.7, 192.0.2.4", "203.0.113.7")]
    [InlineData(2, "192.0.2.4", "10.0.0.5")] // fewer entries than proxies: it did not come through them
    [InlineData(1, "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData(1, "not-an-address", "10.0.0.5")]
    public void The_address_is_the_one_the_outermost_trusted_proxy_wrote(int? hops, string forwardedFor, string expected) =>
        Assert.Equal(expected, ClientAddress.Of(Request(hops, forwardedFor)));

    [Fact]
    public void A_setting_that_is_not_a_small_whole_number_stops_the_host()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.ForwardedHops] = "two" }).Build();
        Assert.Contains(AppSettings.ForwardedHops, Assert.Throws<ConfigurationException>(() => ClientAddress.FromConfiguration(configuration)).Message);
    }
}
