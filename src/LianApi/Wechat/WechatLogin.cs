using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LianApi.Wechat;

/// <summary>Turns a wx.login code into the WeChat identity of the user.</summary>
public interface IWechatLogin
{
    Task<WechatIdentity> ExchangeCodeAsync(string code, CancellationToken ct);
}

internal sealed class LiveWechatLogin(WechatClient client) : IWechatLogin
{
    public Task<WechatIdentity> ExchangeCodeAsync(string code, CancellationToken ct) => client.Code2SessionAsync(code, ct);
}

/// <summary>
/// Development without a WeChat account: the same code always yields the same user, different codes different
/// users, so a developer can be "resident A" and "resident B" from Swagger UI. Refused in Production.
/// </summary>
internal sealed class EmulatedWechatLogin(IOptions<WechatOptions> options) : IWechatLogin
{
    public Task<WechatIdentity> ExchangeCodeAsync(string code, CancellationToken ct)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{options.Value.EffectiveAppId}:{code}"));
        return Task.FromResult(new WechatIdentity("emu-" + Convert.ToHexStringLower(hash)[..28]));
    }
}
