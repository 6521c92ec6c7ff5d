using MirtLab.Worker.Cli;

return await MirtLabCli.RunAsync(args);
