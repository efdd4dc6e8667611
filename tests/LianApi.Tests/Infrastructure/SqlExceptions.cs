using System.Reflection;
using Microsoft.Data.SqlClient;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// SqlException has no public constructor; SqlClient builds one from a collection of SqlErrors. Tests build them the
/// same way, through the library's own non-public factory, to classify what a server would send.
/// </summary>
public static class SqlExceptions
{
    public static SqlException With(params int[] numbers)
    {
        var collection = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        var add = typeof(SqlErrorCollection).GetMethod("Add", BindingFlags.Instance | BindingFlags.NonPublic)!;
        foreach (var number in numbers)
        {
            add.Invoke(collection, [Error(number)]);
        }
        var create = typeof(SqlException).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(m => m.Name == "CreateException")
            .OrderBy(m => m.GetParameters().Length)
            .First(m => m.GetParameters()[0].ParameterType == typeof(SqlErrorCollection) && m.GetParameters()[1].ParameterType == typeof(string));
        var arguments = create.GetParameters().Select((p, i) => i switch { 0 => collection, 1 => "16.0", _ => Default(p.ParameterType) }).ToArray();
        return (SqlException)create.Invoke(null, arguments)!;
    }

    private static SqlError Error(int number)
    {
        var constructor = typeof(SqlError).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic)
            .OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => p.Name switch
        {
            "infoNumber" => number,
            "errorClass" => (byte)16,
            "errorState" => (byte)1,
            "server" or "errorMessage" or "procedure" => (object)$"test error {number}",
            _ => Default(p.ParameterType),
        }).ToArray();
        return (SqlError)constructor.Invoke(arguments);
    }

    private static object? Default(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}
