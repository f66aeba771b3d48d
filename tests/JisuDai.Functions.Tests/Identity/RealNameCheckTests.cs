using JisuDai.Adapters.Identity;
using JisuDai.App.Identity;
using JisuDai.Simulators.Identity;

namespace JisuDai.Functions.Tests.Identity;

/// <summary>The FaceID adapter against the simulator over HTTP: TC3-signed calls, the answer codes, and the failures that mean no answer.</summary>
public sealed class RealNameCheckTests : IAsyncLifetime
{
    RealNameSimulator simulator = null!;

    public async Task InitializeAsync() => simulator = await RealNameSimulator.StartAsync("http://127.0.0.1:0", "AKIDtest", "secret-key-test");

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    TencentRealNameCheck Check(string secretKey = "secret-key-test", TimeProvider? clock = null) =>
        new(new HttpClient(), new Uri(simulator.Url + "/"), "AKIDtest", secretKey, clock ?? TimeProvider.System);

    static RealNameClaim Zhang(string card = "6222020200138003", string phone = "+8613800138000", string id = "110101199003070011", string name = "Zhang San") =>
        new(name, id, phone, card);

    [Fact]
    public async Task The_four_elements_of_one_person_pass_and_a_card_the_bank_holds_for_someone_else_does_not()
    {
        RealNameResult passed = await Check().CheckAsync(Zhang(), default);
        Assert.True(passed.Passed, $"{passed.Code} {passed.Description}");
        Assert.Equal("0", passed.Code);
        Assert.NotEmpty(passed.Reference);

        RealNameResult stolen = await Check().CheckAsync(Zhang(id: "110101199003070214", name: "Li Si"), default);
        Assert.Equal((false, "-1", null), (stolen.Passed, stolen.Code, stolen.Field));
        Assert.Equal(("-3", "idNumber"), ((await Check().CheckAsync(Zhang(id: "110101199003070012"), default)).Code, (await Check().CheckAsync(Zhang(id: "110101199003070012"), default)).Field));
        Assert.Equal("bankAccount", (await Check().CheckAsync(Zhang(card: "12"), default)).Field);
    }

    [Fact]
    public async Task A_wrong_key_or_a_stale_clock_is_refused_as_no_answer_and_so_is_a_busy_service()
    {
        var wrongKey = await Assert.ThrowsAsync<RealNameUnavailableException>(() => Check("another-key").CheckAsync(Zhang(), default));
        Assert.Contains("AuthFailure.SignatureFailure", wrongKey.Message);
        var stale = await Assert.ThrowsAsync<RealNameUnavailableException>(() => Check(clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10))).CheckAsync(Zhang(), default));
        Assert.Contains("AuthFailure.SignatureExpire", stale.Message);

        using var http = new HttpClient();
        (await http.PostAsync(simulator.Url + "/simulator/faults", new StringContent("""{"busy": true}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<RealNameUnavailableException>(() => Check().CheckAsync(Zhang(), default));
    }
}
