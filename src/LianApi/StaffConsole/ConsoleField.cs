namespace LianApi.StaffConsole;

/// <summary>A form field as a person reads it: its label, and what to say when the API finds it missing.</summary>
public sealed record ConsoleField(string Label, string Missing);
