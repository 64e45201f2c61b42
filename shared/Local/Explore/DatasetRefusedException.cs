namespace WineFunctions.Explore;

/// <summary>A data set that would not train a sound model (a class too small, nothing labelled): the message gives the numbers.</summary>
public sealed class DatasetRefusedException(string message) : Exception(message);
