using JisuDai.Lending.Customers;

namespace JisuDai.Lending.Tests;

/// <summary>Phone and card numbers are ASCII digits and nothing else; cards carry their Luhn check digit.</summary>
public sealed class IdentifierTests
{
    [Theory]
    [InlineData("6222020200112230", true)]
    [InlineData("4111111111111111", true)]
    [InlineData("6222020200112233", false)] // the check digit is wrong
    [InlineData("６２２２０２０２００１１２２３０", false)] // full-width digits
    [InlineData("6222020200112230\n", false)]
    [InlineData("62220202001", false)] // 11 digits
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_bank_card_is_12_to_19_ascii_digits_passing_luhn(string? number, bool valid) => Assert.Equal(valid, BankCard.IsValid(number));

    [Fact]
    public void The_check_digit_completes_any_number_to_a_valid_card()
    {
        foreach (string first in new[] { "622202020011223", "411111111111111", "62220201234567890" })
        {
            Assert.True(BankCard.IsValid(first + BankCard.CheckDigit(first)));
        }
    }

    [Theory]
    [InlineData("+8613800138000", true)]
    [InlineData("+8613９00138000", false)] // a full-width digit
    [InlineData("+8613800138000\n", false)]
    [InlineData("+8612800138000", false)] // 12 is no mobile prefix
    [InlineData("+861380013800", false)]
    [InlineData("13800138000", false)]
    public void A_mobile_number_is_plus_861_then_ten_ascii_digits(string phone, bool valid) => Assert.Equal(valid, MobileNumber.IsValid(phone));
}
