using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LianApi.PublicWall;

/// <summary>
/// What the public reads of a resident's text and of a unit's reply (办结公示, Open311): every run that reads as 7 or
/// more digits is masked, however it is written (full-width or other scripts' digits, Chinese numerals, digits apart by
/// spaces, dots, dashes or invisible characters), and a name after a cue keeps only its surname (王小明先生 → 王**先生,
/// the usual form of a public notice). Both err towards hiding: a masked house number is a small loss, a published phone
/// number is not. README ("Security model") says what is masked and what cannot be.
/// </summary>
public static partial class PublicTexts
{
    public const string Masked = "***";

    /// <summary>A run of this many digits is taken for a phone number: a landline without its area code has 7.</summary>
    public const int PhoneDigits = 7;

    // At most this many separators between two digits of one number ("138 - 1234").
    private const int MaxGap = 3;

    // What people put between the digits of one number, besides whitespace and invisible format characters (compared
    // after NFKC, so the full-width forms count too).
    private const string Separators = "-‐‑‒–—―−.·・‧•_/\\()[]【】+,、:~*#";

    private static readonly Dictionary<char, char> ChineseNumerals = new()
    {
        ['〇'] = '0', ['零'] = '0', ['一'] = '1', ['壹'] = '1', ['幺'] = '1', ['二'] = '2', ['贰'] = '2', ['貳'] = '2',
        ['三'] = '3', ['叁'] = '3', ['參'] = '3', ['四'] = '4', ['肆'] = '4', ['五'] = '5', ['伍'] = '5', ['六'] = '6',
        ['陆'] = '6', ['陸'] = '6', ['七'] = '7', ['柒'] = '7', ['八'] = '8', ['捌'] = '8', ['九'] = '9', ['玖'] = '9',
    };

    public static string Mask(string text) => MaskNames(MaskNumbers(text));

    /// <summary>One character of the text as a number reads it: the digits it stands for, a separator, or neither.</summary>
    private readonly record struct Token(int Start, int Length, string Digits, char? Separator)
    {
        public bool IsDigit => Digits.Length > 0;
    }

    private static Token Read(string text, int index)
    {
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var length);
        var value = text.Substring(index, length);
        if (length == 1 && ChineseNumerals.TryGetValue(value[0], out var numeral))
        {
            return new Token(index, length, numeral.ToString(), null);
        }
        if (Rune.IsDigit(rune))
        {
            return new Token(index, length, ((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(value, 0))).ToString(), null);
        }
        if (Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
        {
            return new Token(index, length, "", ' ');
        }
        // Compatibility forms: full-width punctuation (－ ． （), circled and parenthesized digits (① ⑽ ⒈), superscripts.
        var compatible = value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);
        if (compatible.Length == 1 && Separators.Contains(compatible[0]))
        {
            return new Token(index, length, "", compatible[0]);
        }
        return compatible != value && compatible.Any(char.IsAsciiDigit) && compatible.All(c => char.IsAsciiDigit(c) || Separators.Contains(c))
            ? new Token(index, length, new string(compatible.Where(char.IsAsciiDigit).ToArray()), null)
            : new Token(index, length, "", null);
    }

    /// <summary>Every run that reads as <see cref="PhoneDigits"/> or more digits becomes ***, but a date standing alone (2026-12-02).</summary>
    public static string MaskNumbers(string text)
    {
        var tokens = new List<Token>(text.Length);
        for (var i = 0; i < text.Length; i += tokens[^1].Length)
        {
            tokens.Add(Read(text, i));
        }
        var masked = new StringBuilder(text.Length);
        var copied = 0;
        for (var first = 0; first < tokens.Count; first++)
        {
            if (!tokens[first].IsDigit)
            {
                continue;
            }
            // The run: digits, with at most MaxGap separators between two of them.
            var last = first;
            for (var next = first + 1; next < tokens.Count && next - last <= MaxGap + 1; next++)
            {
                if (tokens[next].IsDigit)
                {
                    last = next;
                }
                else if (tokens[next].Separator is null)
                {
                    break;
                }
            }
            var reading = string.Concat(tokens.GetRange(first, last - first + 1).Select(t => t.IsDigit ? t.Digits : t.Separator.ToString()));
            if (reading.Count(char.IsAsciiDigit) >= PhoneDigits && !Date().IsMatch(reading))
            {
                // A leading + (+86) goes with the number.
                var start = first > 0 && tokens[first - 1].Separator == '+' ? first - 1 : first;
                masked.Append(text, copied, tokens[start].Start - copied).Append(Masked);
                copied = tokens[last].Start + tokens[last].Length;
            }
            first = last;
        }
        return copied == 0 ? text : masked.Append(text, copied, text.Length - copied).ToString();
    }

    // Only a date of this century standing alone: a mobile number never starts with 20, and a date run into other
    // digits ("138 2013-01-02") is no date.
    [GeneratedRegex(@"^20\d{2}[-./](0?[1-9]|1[0-2])[-./](0?[1-9]|[12]\d|3[01])$")]
    private static partial Regex Date();

    /// <summary>The given name after a cue becomes one * per character; the surname stays.</summary>
    public static string MaskNames(string text)
    {
        text = NameBeforeTitle().Replace(text, m => InAWord(m.Value, m.Index, text)
            ? m.Value
            : m.Groups["surname"].Value + new string('*', m.Groups["given"].Length));
        return NameAfterCue().Replace(text, m => m.Groups["cue"].Value + m.Groups["surname"].Value + new string('*', m.Groups["given"].Length));
    }

    // Words in which a surname character is no surname (感谢王师傅 thanks Master Wang; 位于王先生家 is at Mr Wang's).
    private static readonly string[] NotNames =
        ["感谢", "谢谢", "多谢", "答谢", "致谢", "位于", "由于", "对于", "关于", "至于", "等于", "属于", "方向", "面向", "转向", "一向", "指向", "走向", "朝向"];

    private static bool InAWord(string match, int index, string text) =>
        (index > 0 && NotNames.Contains(text.Substring(index - 1, 2))) || NotNames.Contains(match[..2]);

    // The most common surnames (over nine in ten Chinese people carry one of them) and the usual compound ones.
    private const string Surname =
        "(?<surname>欧阳|司马|诸葛|上官|东方|皇甫|尉迟|令狐|慕容|长孙|宇文|司徒|夏侯|轩辕|" +
        "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆" +
        "汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔庞颜" +
        "倪庄聂章鲁岳翟殷詹申耿焦俞左柳祝舒阮柯纪梅童凌毕季裴霍涂苗谷盛翁冉骆蓝游辛靳柴蒙鲍喻祁蒲滕饶牟艾尤穆卓缪褚娄窦戚岑邝])";

    private const string Given = @"(?<given>\p{IsCJKUnifiedIdeographs}{1,2})";

    // 王小明先生, 李建国师傅: the characters between a surname and a title.
    [GeneratedRegex(Surname + Given + "(?=先生|女士|小姐|阿姨|师傅|大爷|大妈|大娘|大姐|大哥|老师|经理|主任|书记|叔叔|奶奶|爷爷|同志|老板)")]
    private static partial Regex NameBeforeTitle();

    // 我叫王小明, 联系人：欧阳娜娜, 网格员张小红: a surname and one or two characters after a cue.
    [GeneratedRegex("(?<cue>(?:我叫|名叫|叫做|我是|本人|姓名|联系人|负责人|网格员|业主|居民)[:：\\s]{0,2})" + Surname + Given)]
    private static partial Regex NameAfterCue();
}
