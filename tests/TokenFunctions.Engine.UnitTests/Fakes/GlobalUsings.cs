global using TokenFunctions.Engine.UnitTests.Fakes;
